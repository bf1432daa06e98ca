import Foundation

/// Git's delta format: the base's size and the result's, then
/// instructions that copy a range of the base or insert literal bytes.
/// Every number is checked against what it indexes: a damaged delta is
/// nil, never a trap.
enum DeltaApplication {
    /// `base` changed by `delta`; nil when the delta does not fit the base
    /// or would build more than `largest` bytes.
    static func apply(_ delta: Data, to base: Data, largest: Int) -> Data? {
        delta.withUnsafeBytes { delta in
            base.withUnsafeBytes { base in
                apply(delta.assumingMemoryBound(to: UInt8.self), to: base.assumingMemoryBound(to: UInt8.self), largest: largest)
            }
        }
    }

    private static func apply(_ delta: UnsafeBufferPointer<UInt8>, to base: UnsafeBufferPointer<UInt8>, largest: Int) -> Data? {
        var position = 0
        guard let baseSize = size(delta, &position), baseSize == base.count,
              let resultSize = size(delta, &position), resultSize <= largest else { return nil }
        return Data.filled(count: resultSize) { raw in
            let out = raw.bindMemory(to: UInt8.self)
            var written = 0
            while position < delta.count {
                let instruction = delta[position]
                position += 1
                var source: UnsafeBufferPointer<UInt8>.SubSequence
                if instruction & 0x80 != 0 {
                    // Copy: which of four offset bytes and three length bytes follow is in the instruction's low bits.
                    var offset = 0, length = 0
                    for byte in 0..<7 where instruction & (1 << byte) != 0 {
                        guard position < delta.count else { return false }
                        if byte < 4 { offset |= Int(delta[position]) << (8 * byte) } else { length |= Int(delta[position]) << (8 * (byte - 4)) }
                        position += 1
                    }
                    if length == 0 { length = 0x10000 }
                    guard offset + length <= base.count else { return false }
                    source = base[offset..<(offset + length)]
                } else if instruction != 0 {
                    let length = Int(instruction)
                    guard position + length <= delta.count else { return false }
                    source = delta[position..<(position + length)]
                    position += length
                } else {
                    return false
                }
                guard written + source.count <= resultSize else { return false }
                _ = UnsafeMutableBufferPointer(rebasing: out[written...]).initialize(fromContentsOf: source)
                written += source.count
            }
            return written == resultSize
        }
    }

    /// A size: little-endian groups of seven bits, the high bit saying another follows.
    private static func size(_ delta: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> Int? {
        var value = 0, shift = 0
        while position < delta.count, shift <= 56 {
            let byte = delta[position]
            position += 1
            value |= Int(byte & 0x7f) << shift
            shift += 7
            if byte & 0x80 == 0 { return value }
        }
        return nil
    }
}
