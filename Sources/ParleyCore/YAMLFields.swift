import Foundation
import Yams

/// Typed, line-aware access to a YAML mapping read from a mailbox file.
/// Every accessor that fails names the file and the line of the key, and
/// unknown keys are kept so a newer writer's fields are not an error.
struct YAMLFields {
    let path: String
    let entries: [YAMLEntry]
    /// The line of the mapping itself, for "missing key" problems.
    let line: Int?

    /// A whole file that is one YAML mapping (delivery records, events, `parley.yaml`).
    static func parseMapping(_ data: Data, path: String) throws(ParleyError) -> YAMLFields {
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformed(FormatIssue(path: path, line: nil, problem: "not UTF-8 text"))
        }
        return try parseMapping(text, path: path)
    }

    static func parseMapping(_ yaml: String, path: String, firstLine: Int = 1) throws(ParleyError) -> YAMLFields {
        if let entries = SimpleYAMLReader.read(yaml, firstLine: firstLine) {
            return YAMLFields(path: path, entries: entries, line: firstLine)
        }
        return try parseWithYams(yaml, path: path, firstLine: firstLine)
    }

    /// Any YAML, read by the full parser.
    static func parseWithYams(_ yaml: String, path: String, firstLine: Int = 1) throws(ParleyError) -> YAMLFields {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml, Resolver.basic)
        } catch let error as YamlError {
            throw .malformed(issue(from: error, path: path, lineOffset: firstLine - 1))
        } catch {
            throw .malformed(FormatIssue(path: path, line: nil, problem: "cannot read YAML: \(error)"))
        }
        guard let node else { return YAMLFields(path: path, entries: [], line: firstLine) }
        guard case .mapping(let entries) = convert(node, lineOffset: firstLine - 1) else {
            throw .malformed(FormatIssue(path: path, line: (node.mark?.line ?? 1) + firstLine - 1, problem: "expected 'key: value' lines"))
        }
        return YAMLFields(path: path, entries: entries, line: firstLine)
    }

    private static func convert(_ node: Node, lineOffset: Int) -> YAMLValue {
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string, plain: scalar.style == .plain)
        case .sequence(let sequence):
            return .sequence(sequence.map { (convert($0, lineOffset: lineOffset), $0.mark.map { $0.line + lineOffset }) })
        case .mapping(let mapping):
            return .mapping(mapping.map { key, value in
                YAMLEntry(key: key.string ?? "", value: convert(value, lineOffset: lineOffset), line: key.mark.map { $0.line + lineOffset })
            })
        case .alias:
            return .scalar("", plain: false)
        }
    }

    private static func issue(from error: YamlError, path: String, lineOffset: Int) -> FormatIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return FormatIssue(path: path, line: mark.line + lineOffset, problem: "YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return FormatIssue(path: path, line: context.mark.line + lineOffset,
                               problem: "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return FormatIssue(path: path, line: nil, problem: "YAML: \(error)")
        }
    }

    private func entry(_ key: String) -> YAMLEntry? { entries.first { $0.key == key } }

    func problem(_ key: String, _ text: String) -> ParleyError {
        .malformed(FormatIssue(path: path, line: lineOf(key) ?? line, problem: text))
    }

    func lineOf(_ key: String) -> Int? { entry(key)?.line }

    func has(_ key: String) -> Bool { entry(key) != nil }

    var keys: [String] { entries.map(\.key) }

    func string(_ key: String) throws(ParleyError) -> String {
        guard let value = try optionalString(key) else {
            throw .malformed(FormatIssue(path: path, line: line, problem: "missing '\(key)'"))
        }
        return value
    }

    func optionalString(_ key: String) throws(ParleyError) -> String? {
        guard let value = entry(key)?.value else { return nil }
        guard case .scalar(let text, let plain) = value else { throw problem(key, "'\(key)' must be a single value") }
        if plain, Self.meansNothing(text) { return nil }
        return text
    }

    /// The plain scalars that mean "no value". A comparison, not a set:
    /// it runs for every optional field of every record read.
    private static func meansNothing(_ text: String) -> Bool {
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// True when `key` is absent or written as nothing (`~`, `null`, empty): an optional value left out.
    func isEmpty(_ key: String) -> Bool {
        guard let value = entry(key)?.value else { return true }
        guard case .scalar(let text, let plain) = value else { return false }
        return plain && Self.meansNothing(text)
    }

    func int(_ key: String) throws(ParleyError) -> Int? {
        guard let text = try optionalString(key) else { return nil }
        guard let value = Int(text) else { throw problem(key, "'\(key)' must be a whole number, not '\(text)'") }
        return value
    }

    func bool(_ key: String) throws(ParleyError) -> Bool? {
        guard let text = try optionalString(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw problem(key, "'\(key)' must be true or false, not '\(text)'")
        }
    }

    /// A share written "25%" or "0.25", as a fraction within `range`.
    func share(_ key: String, in range: ClosedRange<Double>) throws(ParleyError) -> Double? {
        guard let text = try optionalString(key) else { return nil }
        let percent = text.hasSuffix("%")
        guard let number = Double(percent ? String(text.dropLast()) : text), range.contains(percent ? number / 100 : number) else {
            let bounds = "\(Self.percentText(range.lowerBound))–\(Self.percentText(range.upperBound))"
            throw problem(key, "'\(key)' must be a share from \(bounds) such as 10% or 0.1, not '\(text)'")
        }
        return percent ? number / 100 : number
    }

    private static func percentText(_ share: Double) -> String {
        let percent = share * 100
        return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
    }

    func date(_ key: String) throws(ParleyError) -> Date {
        guard let value = try optionalDate(key) else {
            throw .malformed(FormatIssue(path: path, line: line, problem: "missing '\(key)'"))
        }
        return value
    }

    /// One of an enumeration's values; the problem lists the allowed ones.
    func choice<Value: RawRepresentable & CaseIterable>(_ key: String,
        of type: Value.Type) throws(ParleyError) -> Value where Value.RawValue == String {
        guard let value = try optionalChoice(key, of: type) else {
            throw .malformed(FormatIssue(path: path, line: line, problem: "missing '\(key)'"))
        }
        return value
    }

    func optionalChoice<Value: RawRepresentable & CaseIterable>(_ key: String,
        of type: Value.Type) throws(ParleyError) -> Value? where Value.RawValue == String {
        guard let text = try optionalString(key) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw problem(key, "'\(key)' must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return value
    }

    func optionalDate(_ key: String) throws(ParleyError) -> Date? {
        guard let text = try optionalString(key) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw problem(key, "'\(key)' must be an ISO 8601 time with an offset such as 2026-03-08T20:30:00Z, not '\(text)'")
        }
        return date
    }

    func phone(_ key: String) throws(ParleyError) -> PhoneNumber {
        let text = try string(key)
        guard let number = PhoneNumber(e164: text) else {
            throw problem(key, "'\(key)' must be an E.164 number such as +15550100123, not '\(text)'")
        }
        return number
    }

    func stringList(_ key: String) throws(ParleyError) -> [String] {
        guard let value = entry(key)?.value else { return [] }
        switch value {
        case .sequence(let items):
            var strings: [String] = []
            for item in items {
                guard case .scalar(let text, _) = item.value else { throw problem(key, "'\(key)' must be a list of values") }
                strings.append(text)
            }
            return strings
        case .scalar(let text, _):
            return text.isEmpty ? [] : [text]
        case .mapping:
            throw problem(key, "'\(key)' must be a list of values")
        }
    }

    func nested(_ key: String) throws(ParleyError) -> YAMLFields? {
        guard let found = entry(key) else { return nil }
        switch found.value {
        case .scalar(let text, _) where text.isEmpty || text == "~": return nil
        case .mapping(let entries): return YAMLFields(path: path, entries: entries, line: found.line)
        default: throw problem(key, "'\(key)' must be a mapping of 'key: value' lines")
        }
    }

    func nestedList(_ key: String) throws(ParleyError) -> [YAMLFields] {
        guard let found = entry(key) else { return [] }
        if case .scalar(let text, _) = found.value, text.isEmpty { return [] }
        guard case .sequence(let items) = found.value else { throw problem(key, "'\(key)' must be a list") }
        var fields: [YAMLFields] = []
        for item in items {
            guard case .mapping(let entries) = item.value else { throw problem(key, "each item of '\(key)' must be a mapping") }
            fields.append(YAMLFields(path: path, entries: entries, line: item.line))
        }
        return fields
    }
}
