import Foundation
import ParleyCore
import Synchronization

/// Reads of conversations spread over several threads, each through a
/// reader of its own (`StoreSnapshot.concurrentReaders`). Summarising a
/// conversation or parsing its records is reading and parsing files,
/// independent of every other conversation; only the index writes, which
/// stay on the caller's thread, need one writer.
enum ParallelReads {
    /// How many threads a rebuild reads on: each has a libgit2 handle and
    /// object cache of its own, so more than a few cost memory for no speed.
    static let threads = min(ProcessInfo.processInfo.activeProcessorCount, 4)

    /// Fewer conversations than this are read on the caller's thread.
    static let worthwhileFrom = 32

    /// `read(index, reader)` for every index below `count`, spread over the
    /// readers (one thread each), in index order. Each thread takes the next
    /// index when it is free, so one slow conversation does not leave the
    /// other threads idle behind a fixed share.
    static func map<T>(_ count: Int, readers: [any StoreSnapshot], _ read: @Sendable (Int, any StoreSnapshot) -> T) -> [T] {
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer {
            _ = slots.deinitialize()
            slots.deallocate()
        }
        let shared = Slots(buffer: slots)
        let workers = max(1, min(readers.count, count))
        let next = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while case let index = next.add(1, ordering: .relaxed).oldValue, index < count {
                shared.buffer[index] = read(index, readers[worker])
            }
        }
        return slots.map { $0! }
    }

    /// Each thread writes only its own indices, so the slots need no lock.
    private struct Slots<T>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<T?>
    }
}
