import Foundation
import ParleyCore

/// Conversation summaries read on several threads at once, each through a
/// reader of its own (`StoreSnapshot.concurrentReaders`). Summarising is
/// reading and parsing about nine files a conversation, independent of
/// every other conversation; only the index writes, which stay on the
/// caller's thread, need one writer.
enum ParallelSummaries {
    /// How many threads a rebuild reads on: each has a libgit2 handle and
    /// object cache of its own, so more than a few cost memory for no speed.
    static let threads = min(ProcessInfo.processInfo.activeProcessorCount, 4)

    /// The summary (or the error) of each number, in the order given.
    static func load(_ numbers: [PhoneNumber], readers: [any StoreSnapshot]) -> [Result<ConversationSummary?, ParleyError>] {
        let slots = UnsafeMutableBufferPointer<Result<ConversationSummary?, ParleyError>?>.allocate(capacity: numbers.count)
        slots.initialize(repeating: nil)
        defer { slots.deallocate() }
        let buffer = Slots(buffer: slots)
        let workers = max(1, min(readers.count, numbers.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: numbers.count, by: workers) {
                buffer.buffer[index] = Result { () throws(ParleyError) in try ConversationSummary.load(numbers[index], from: readers[worker]) }
            }
        }
        return slots.map { $0! }
    }

    /// Each thread writes only its own indices, so the slots need no lock.
    private struct Slots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<Result<ConversationSummary?, ParleyError>?>
    }
}
