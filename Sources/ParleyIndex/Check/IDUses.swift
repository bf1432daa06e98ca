import Dispatch
import Synchronization

/// Where each record id of a check is used, filled from every reading
/// thread at once. A million-message mailbox holds about two million ids;
/// joined into one table after the threads finished, they were seconds of
/// one core at the end of `parley check`. Here each thread adds its ids as
/// it reads, into one of `shardCount` tables chosen by the id's last bytes,
/// so the two threads seldom wait on each other.
///
/// Which use is "first" does not depend on which thread came first: each
/// use carries its place in the walk (`Place`), the lowest place is the
/// first, and every other use of the id is reported against it.
final class IDUses: Sendable {
    /// A use's place in one pass over the mailbox: the conversation's index
    /// (-1 before the conversations: the outbox), then the claim's order in it.
    struct Place: Comparable, Sendable {
        let conversation: Int
        let order: Int

        static func < (a: Place, b: Place) -> Bool { (a.conversation, a.order) < (b.conversation, b.order) }
    }

    /// A second use of an id, as `parley check` reports it.
    struct Duplicate: Sendable {
        let place: Place
        let path: String
        let id: String
        let firstPath: String
    }

    private struct Uses {
        var first: (place: Place, path: String)
        var others: [(place: Place, path: String)] = []
    }

    private final class Shard: Sendable {
        let uses = Mutex<[String: Uses]>([:])
    }

    private static let shardCount = 64
    private let shards = (0..<IDUses.shardCount).map { _ in Shard() }

    func claim(_ id: String, at path: String, place: Place) {
        let last = id.utf8.last ?? 0, beforeLast = id.utf8.dropLast().last ?? 0
        let shard = shards[(Int(last) &* 31 &+ Int(beforeLast)) % Self.shardCount]
        shard.uses.withLock { uses in
            guard var known = uses[id] else { return uses[id] = Uses(first: (place, path)) }
            if place < known.first.place {
                known.others.append(known.first)
                known.first = (place, path)
            } else {
                known.others.append((place, path))
            }
            uses[id] = known
        }
    }

    /// Every use after an id's first, in walk order. The table is emptied
    /// as they are taken, a shard on each core at a time: freeing two
    /// million ids and their paths on one thread was the last second of a
    /// check of a million messages.
    func takeDuplicates() -> [Duplicate] {
        let found = Mutex<[Duplicate]>([])
        DispatchQueue.concurrentPerform(iterations: shards.count) { index in
            var taken: [String: Uses] = [:]
            shards[index].uses.withLock { swap(&$0, &taken) }
            let duplicates = taken.filter { !$0.value.others.isEmpty }.flatMap { id, known in
                known.others.map { Duplicate(place: $0.place, path: $0.path, id: id, firstPath: known.first.path) }
            }
            if !duplicates.isEmpty { found.withLock { $0 += duplicates } }
        }
        return found.withLock { $0 }.sorted { $0.place < $1.place }
    }
}
