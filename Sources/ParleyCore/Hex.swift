extension Sequence where Element == UInt8 {
    /// Lower-case hex, two digits a byte: hashes, HMACs and keys as text.
    /// (`String(format: "%02x")` per byte costs about a microsecond each.)
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
