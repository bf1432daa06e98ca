import Foundation
import ParleyCore
@testable import ParleyIndex
import ParleyTestSupport
import Synchronization
import Testing

/// Reads spread over threads come back in order, each index read once, and
/// nothing they returned outlives the caller's copy (a first search at a
/// million messages once kept every batch it had read).
@Suite struct ParallelReadsTests {
    final class Counter: Sendable {
        let alive = Atomic<Int>(0)
        var value: Int { alive.load(ordering: .sequentiallyConsistent) }
    }

    final class Tracked: Sendable {
        let index: Int
        let counter: Counter
        init(_ index: Int, counter: Counter) {
            self.index = index
            self.counter = counter
            counter.alive.add(1, ordering: .sequentiallyConsistent)
        }
        deinit { counter.alive.subtract(1, ordering: .sequentiallyConsistent) }
    }

    @Test func resultsComeBackInOrderAndAreReleased() throws {
        let readers = try InMemoryStore().snapshot().concurrentReaders(3)
        let counter = Counter()
        var results: [Tracked]? = ParallelReads.map(100, readers: readers) { index, _ in Tracked(index, counter: counter) }
        #expect(results?.map(\.index) == Array(0..<100))
        #expect(counter.value == 100)
        results = nil
        #expect(counter.value == 0)
    }
}
