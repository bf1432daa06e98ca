import Foundation

/// Replaces an erasure's secrets (numbers, full names) with "[erased]" in
/// text. A history rewrite scrubs every commit message, and a retention
/// run may erase a thousand people at once: trying each secret on each
/// message was 2,000 string searches a commit. Each text is instead
/// scanned once for the secrets it holds, found by their first three
/// bytes, and only those are replaced, one after another in the given
/// order.
public struct Scrubber: Sendable {
    private let secrets: [[UInt8]]
    private let texts: [String]
    /// Secrets by their first three bytes, as indices into `secrets`.
    private let byPrefix: [UInt32: [Int]]
    /// Secrets shorter than three bytes, tried on every text.
    private let short: [Int]

    public init(_ secrets: [String]) {
        texts = secrets.filter { !$0.isEmpty }
        self.secrets = texts.map { Array($0.utf8) }
        var byPrefix: [UInt32: [Int]] = [:], short: [Int] = []
        for (index, bytes) in self.secrets.enumerated() {
            if bytes.count < 3 { short.append(index) } else { byPrefix[Self.prefix(bytes, at: 0), default: []].append(index) }
        }
        self.byPrefix = byPrefix
        self.short = short
    }

    public func scrubbed(_ text: String) -> String {
        guard !texts.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var present = Set(short)
        if bytes.count >= 3 {
            for offset in 0...(bytes.count - 3) {
                guard let candidates = byPrefix[Self.prefix(bytes, at: offset)] else { continue }
                for index in candidates where !present.contains(index) && Self.matches(secrets[index], in: bytes, at: offset) {
                    present.insert(index)
                }
            }
        }
        return present.sorted().reduce(text) { text, index in text.replacingOccurrences(of: texts[index], with: ErasureScope.replacement) }
    }

    private static func prefix(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 16 | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2])
    }

    private static func matches(_ secret: [UInt8], in bytes: [UInt8], at offset: Int) -> Bool {
        offset + secret.count <= bytes.count && bytes[offset..<(offset + secret.count)].elementsEqual(secret)
    }
}
