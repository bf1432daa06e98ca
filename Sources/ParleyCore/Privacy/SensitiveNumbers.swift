/// Payment card numbers and US Social Security numbers in a text. A
/// customer sometimes texts one; it must never reach Git, where history
/// keeps everything. Inbound, they are replaced before anything is written
/// ("[card ending 4417 removed]"); outbound, a message holding one is
/// refused, with no override.
///
/// A number is a maximal run of digits in which groups may be separated by
/// one space or dash. A card is 13–19 digits passing the Luhn check; a
/// Social Security number is exactly 3-2-4 digits with one separator kind,
/// and a valid area, group and serial. Phone numbers (10–11 digits), dates,
/// amounts with commas or points and order numbers that fail Luhn are left
/// alone.
public enum SensitiveNumbers {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case card, ssn
    }

    public struct Finding: Sendable, Equatable {
        public let kind: Kind
        /// Where it is, as offsets in the text's characters.
        public let start: Int
        public let end: Int
        /// What replaces it, saying what was there without keeping it.
        public let replacement: String
    }

    public static func find(_ text: String) -> [Finding] {
        let characters = Array(text)
        var findings: [Finding] = []
        var index = 0
        while index < characters.count {
            guard characters[index].isASCII, characters[index].isNumber, index == 0 || !isDigit(characters[index - 1]) else {
                index += 1
                continue
            }
            let (end, groups) = run(from: index, in: characters)
            if let finding = classify(groups, start: index, end: end) { findings.append(finding) }
            index = end
        }
        return findings
    }

    /// The text with every finding—and every match of the mailbox's own
    /// `patterns`—replaced, and the names of what was removed (never what).
    public static func redact(_ text: String, patterns: [RedactionPattern] = []) -> (text: String, removed: [String]) {
        let findings = find(text)
        var characters = Array(text)
        for finding in findings.reversed() {
            characters.replaceSubrange(finding.start..<finding.end, with: Array(finding.replacement))
        }
        var removed: [String] = []
        for finding in findings where !removed.contains(finding.kind.rawValue) { removed.append(finding.kind.rawValue) }
        var result = String(characters)
        for pattern in patterns {
            let ranges = pattern.matches(in: result)
            guard !ranges.isEmpty else { continue }
            for range in ranges.reversed() { result.replaceSubrange(range, with: "[\(pattern.label) removed]") }
            removed.append(pattern.name)
        }
        return (result, removed)
    }

    /// What an outbound text must not carry, worded for the refusal; nil when it is clean.
    public static func refusal(for text: String, patterns: [RedactionPattern] = []) -> String? {
        if let found = find(text).first {
            return found.kind == .card ? "a payment card number (\(found.replacement.dropFirst().dropLast(9)))" : "a Social Security number"
        }
        return patterns.first { !$0.matches(in: text).isEmpty }.map { "a \($0.label) (parley.yaml, redact: \($0.name))" }
    }

    private static func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }

    /// Digit groups from `start`, separated by single spaces or dashes, and where the run ends.
    private static func run(from start: Int, in characters: [Character]) -> (end: Int, groups: [(digits: String, separator: Character?)]) {
        var groups: [(digits: String, separator: Character?)] = []
        var index = start, separator: Character? = nil
        while true {
            var digits = ""
            while index < characters.count, isDigit(characters[index]) {
                digits.append(characters[index])
                index += 1
            }
            groups.append((digits, separator))
            guard index + 1 < characters.count, characters[index] == " " || characters[index] == "-", isDigit(characters[index + 1]) else { break }
            separator = characters[index]
            index += 1
        }
        return (index, groups)
    }

    private static func classify(_ groups: [(digits: String, separator: Character?)], start: Int, end: Int) -> Finding? {
        let digits = groups.map(\.digits).joined()
        if groups.count == 3, groups.map(\.digits.count) == [3, 2, 4], groups[1].separator == groups[2].separator, isSSN(groups.map(\.digits)) {
            return Finding(kind: .ssn, start: start, end: end, replacement: "[SSN removed]")
        }
        if (13...19).contains(digits.count), luhn(digits) {
            return Finding(kind: .card, start: start, end: end, replacement: "[card ending \(digits.suffix(4)) removed]")
        }
        return nil
    }

    private static func isSSN(_ parts: [String]) -> Bool {
        guard let area = Int(parts[0]), let group = Int(parts[1]), let serial = Int(parts[2]) else { return false }
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
    }

    /// The Luhn checksum card numbers carry.
    static func luhn(_ digits: String) -> Bool {
        var sum = 0
        for (position, character) in digits.reversed().enumerated() {
            guard var value = character.wholeNumberValue else { return false }
            if position % 2 == 1 { value = value * 2 > 9 ? value * 2 - 9 : value * 2 }
            sum += value
        }
        return sum % 10 == 0
    }
}
