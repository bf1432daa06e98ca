import Foundation

extension Data {
    /// `count` bytes written in place by `fill` into a buffer of `capacity`
    /// (at least `count`), kept without a copy; nil when `fill` says it
    /// failed. Objects read from the packs are built this way: an array of
    /// bytes looked up its storage type's generic metadata on every
    /// allocation (4% of `parley check`'s samples), and a blob then had to be
    /// copied into `Data` as well.
    static func filled(count: Int, capacity: Int? = nil, _ fill: (UnsafeMutableRawBufferPointer) -> Bool) -> Data? {
        let capacity = Swift.max(capacity ?? count, count, 1)
        guard let memory = malloc(capacity) else { return nil }
        guard fill(UnsafeMutableRawBufferPointer(start: memory, count: capacity)) else {
            free(memory)
            return nil
        }
        return Data(bytesNoCopy: memory, count: count, deallocator: .free)
    }
}
