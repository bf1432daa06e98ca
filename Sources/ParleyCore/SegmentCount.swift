/// How an SMS body will be encoded and split into billable segments
/// (docs/COMPLIANCE.md): GSM-7 holds 160 septets in one segment and 153 per part
/// when concatenated, the extension characters `^{}\[~]|€` and form feed
/// take two septets; anything else forces UCS-2, 70 UTF-16 units in one
/// segment and 67 per part. An escape pair or a surrogate pair is never
/// split across parts, so a part may hold one unit less.
public struct SegmentCount: Equatable, Sendable, Codable {
    public enum Encoding: String, Codable, Sendable {
        case gsm7 = "GSM-7"
        case ucs2 = "UCS-2"
    }

    public let encoding: Encoding
    /// Septets for GSM-7, UTF-16 code units for UCS-2.
    public let units: Int
    public let segments: Int
    /// Units left in the last segment before another one starts.
    public let remainingInSegment: Int
    /// The characters that force UCS-2, each once, in order of appearance.
    public let nonGSMCharacters: [String]

    public init(_ text: String) {
        var nonGSM: [String] = []
        var septetSizes: [Int] = []
        for character in text {
            let size = GSM7.septets(character)
            if size == 0 {
                if !nonGSM.contains(String(character)) { nonGSM.append(String(character)) }
            } else {
                septetSizes.append(size)
            }
        }
        nonGSMCharacters = nonGSM
        if nonGSM.isEmpty {
            encoding = .gsm7
            (units, segments, remainingInSegment) = Self.split(septetSizes, single: 160, part: 153)
        } else {
            encoding = .ucs2
            let sizes = text.unicodeScalars.map { $0.utf16.count }
            (units, segments, remainingInSegment) = Self.split(sizes, single: 70, part: 67)
        }
    }

    /// Packs unit groups into parts greedily without splitting a group.
    private static func split(_ sizes: [Int], single: Int, part: Int) -> (Int, Int, Int) {
        let total = sizes.reduce(0, +)
        if total <= single { return (total, total == 0 ? 0 : 1, single - total) }
        var parts = 1
        var used = 0
        for size in sizes {
            if used + size > part {
                parts += 1
                used = 0
            }
            used += size
        }
        return (total, parts, part - used)
    }
}

/// The GSM 03.38 default alphabet and its extension table.
enum GSM7 {
    private static let basic: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
    private static let extended: Set<Character> = Set("^{}\\[~]|€\u{0C}")

    /// 1 or 2 septets, or 0 when the character is not in GSM-7.
    static func septets(_ character: Character) -> Int {
        if basic.contains(character) { return 1 }
        if extended.contains(character) { return 2 }
        if character == "\r\n" { return 2 }
        return 0
    }
}
