import Foundation

/// What an erasure takes out of every commit of the records history: files
/// and folders by path, files of the outbox and of unmatched receipts that
/// mention the number, and the number (and the person's name) wherever a
/// commit message says it. Worked out from a tree, so another clone that
/// meets the erasure record works out the same scope from its own copy.
public struct ErasureScope: Sendable, Equatable {
    /// Removed from every commit's tree (a folder with all it holds).
    public var paths: [String]
    /// A file under `outbox/` or `unmatched-receipts/` holding any of these texts is removed too.
    public var needles: [String]
    /// Replaced by "[erased]" in every commit message.
    public var scrub: [String]

    public static let directoriesSearched = [MailboxLayout.outboxDirectory, MailboxLayout.unmatchedReceiptsDirectory]
    public static let replacement = "[erased]"

    public init(paths: [String], needles: [String], scrub: [String]) {
        self.paths = paths
        self.needles = needles
        self.scrub = scrub
    }

    /// Several erasures as one, so a retention run rewrites the history
    /// once for everyone past their time rather than once each. Scrubbing
    /// goes scope by scope in the given order, as rewriting once per scope
    /// in that order would, so both come out with the same commits.
    public static func joint(_ scopes: [ErasureScope]) -> ErasureScope {
        ErasureScope(paths: scopes.flatMap(\.paths), needles: scopes.flatMap(\.needles), scrub: scopes.flatMap(\.scrub))
    }

    /// One person: their conversation folder, outbox entries and unmatched
    /// receipts naming the number (its digits match "+1312…" and "%2B1312…"
    /// alike), and the number and full name in commit messages.
    public static func number(_ number: PhoneNumber, in snapshot: any StoreSnapshot) throws(ParleyError) -> ErasureScope {
        let contactPath = MailboxLayout.contactPath(number)
        let name = try snapshot.read(contactPath).flatMap { data in (try? Contact.parse(data, path: contactPath))?.name }
        // A short name ("Sam") is also an agent's or a word; only a full name is safe to replace everywhere.
        let names = [name?.trimmingCharacters(in: .whitespaces)].compactMap { $0 }.filter { $0.contains(" ") && $0.count >= 5 }
        return ErasureScope(paths: [MailboxLayout.conversationDirectory(number)], needles: [String(number.e164.dropFirst())],
                            scrub: [number.e164] + names)
    }

    /// Every message sent or received before `cutoff`, with its receipts.
    public static func messages(before cutoff: Date, in snapshot: any StoreSnapshot) throws(ParleyError) -> ErasureScope {
        let stamp = Timestamp.fileStamp(cutoff)
        var paths: [String] = []
        for bucket in try snapshot.list(MailboxLayout.conversationsDirectory) ?? [] where bucket.isDirectory {
            for folder in try snapshot.list(MailboxLayout.conversationsDirectory + "/" + bucket.name) ?? [] {
                guard let number = PhoneNumber(e164: folder.name) else { continue }
                var old: Set<String> = []
                for file in try snapshot.list(MailboxLayout.messagesDirectory(number)) ?? [] where file.name < stamp {
                    paths.append(MailboxLayout.messagesDirectory(number) + "/" + file.name)
                    if let id = MailboxLayout.messageID(fromFileName: file.name) { old.insert(id) }
                }
                for file in try snapshot.list(MailboxLayout.receiptsDirectory(number)) ?? []
                where old.contains(String(file.name.prefix { $0 != "." })) {
                    paths.append(MailboxLayout.receiptsDirectory(number) + "/" + file.name)
                }
            }
        }
        return ErasureScope(paths: paths, needles: [], scrub: [])
    }

    /// The scope `record` calls for in `snapshot` (another clone's copy),
    /// nil when nothing there is affected. A number is found by hashing
    /// each conversation folder's name with the mailbox's key.
    public static func resolve(_ record: ErasureRecord, key: Data, in snapshot: any StoreSnapshot) throws(ParleyError) -> ErasureScope? {
        switch record.kind {
        case .messages:
            guard let cutoff = record.messagesBefore else { return nil }
            let scope = try messages(before: cutoff, in: snapshot)
            return scope.paths.isEmpty ? nil : scope
        case .number:
            guard let hash = record.numberHash else { return nil }
            for bucket in try snapshot.list(MailboxLayout.conversationsDirectory) ?? [] where bucket.isDirectory {
                for folder in try snapshot.list(MailboxLayout.conversationsDirectory + "/" + bucket.name) ?? [] {
                    if let number = PhoneNumber(e164: folder.name), SuppressionList.hash(number, key: key) == hash {
                        return try self.number(number, in: snapshot)
                    }
                }
            }
            return nil
        }
    }

    /// `message` with the secrets replaced; for many messages, keep one `Scrubber`.
    public func scrubbed(_ message: String) -> String {
        Scrubber(scrub).scrubbed(message)
    }

    /// Whether a file under the searched directories holds one of the needles.
    public func mentions(_ data: Data) -> Bool {
        needles.contains { !$0.isEmpty && data.range(of: Data($0.utf8)) != nil }
    }
}

/// What an erasure did, for its record.
public struct ErasureTally: Sendable, Equatable {
    public let commitsRewritten, filesRemoved: Int

    public init(commitsRewritten: Int, filesRemoved: Int) {
        self.commitsRewritten = commitsRewritten
        self.filesRemoved = filesRemoved
    }
}
