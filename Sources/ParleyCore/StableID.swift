/// Ids derived from content, for records that must get the same id every
/// time they are imported (a re-import of the same file changes nothing).
/// Two 64-bit FNV-1a hashes with different seeds: not cryptographic, only
/// stable and well spread.
enum StableID {
    static func make(prefix: String, from parts: [String]) -> String {
        let text = parts.joined(separator: "\u{1F}")
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* 0x100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 0x9e37_79b9
        }
        let hex = String(first, radix: 16) + String(second, radix: 16)
        return prefix + String(hex.prefix(24))
    }
}
