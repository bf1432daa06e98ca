import Foundation
import Yams

/// Typed, line-aware access to a YAML mapping read from a mailbox file.
/// Every accessor that fails names the file and the line of the key, and
/// unknown keys are kept so a newer writer's fields are not an error.
struct YAMLFields {
    let path: String
    let mapping: Node.Mapping
    /// Added to Yams' 1-based lines: the line the YAML text starts on.
    let lineOffset: Int
    /// The line of the mapping itself, for "missing key" problems.
    let line: Int?

    static func parseMapping(_ yaml: String, path: String, firstLine: Int = 1) throws(ParleyError) -> YAMLFields {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw .malformed(issue(from: error, path: path, lineOffset: firstLine - 1))
        } catch {
            throw .malformed(FormatIssue(path: path, line: nil, problem: "cannot read YAML: \(error)"))
        }
        guard let node else {
            return YAMLFields(path: path, mapping: Node.Mapping([]), lineOffset: firstLine - 1, line: firstLine)
        }
        guard let mapping = node.mapping else {
            throw .malformed(FormatIssue(path: path, line: (node.mark?.line ?? 1) + firstLine - 1, problem: "expected 'key: value' lines"))
        }
        return YAMLFields(path: path, mapping: mapping, lineOffset: firstLine - 1, line: firstLine)
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

    func problem(_ key: String, _ text: String) -> ParleyError {
        .malformed(FormatIssue(path: path, line: lineOf(key) ?? line, problem: text))
    }

    func lineOf(_ key: String) -> Int? {
        for (k, _) in mapping where k.string == key {
            return k.mark.map { $0.line + lineOffset }
        }
        return nil
    }

    func has(_ key: String) -> Bool { mapping[key] != nil }

    var keys: [String] { mapping.keys.compactMap(\.string) }

    func string(_ key: String) throws(ParleyError) -> String {
        guard let value = try optionalString(key) else {
            throw .malformed(FormatIssue(path: path, line: line, problem: "missing '\(key)'"))
        }
        return value
    }

    func optionalString(_ key: String) throws(ParleyError) -> String? {
        guard let node = mapping[key] else { return nil }
        if case .scalar(let scalar) = node {
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
            return scalar.string
        }
        throw problem(key, "'\(key)' must be a single value")
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

    func date(_ key: String) throws(ParleyError) -> Date {
        guard let value = try optionalDate(key) else {
            throw .malformed(FormatIssue(path: path, line: line, problem: "missing '\(key)'"))
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
        guard let node = mapping[key] else { return [] }
        switch node {
        case .sequence(let sequence):
            var items: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else { throw problem(key, "'\(key)' must be a list of values") }
                items.append(scalar.string)
            }
            return items
        case .scalar(let scalar):
            return scalar.string.isEmpty ? [] : [scalar.string]
        default:
            throw problem(key, "'\(key)' must be a list of values")
        }
    }

    func nested(_ key: String) throws(ParleyError) -> YAMLFields? {
        guard let node = mapping[key] else { return nil }
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" { return nil }
        guard let child = node.mapping else { throw problem(key, "'\(key)' must be a mapping of 'key: value' lines") }
        return YAMLFields(path: path, mapping: child, lineOffset: lineOffset, line: lineOf(key))
    }

    func nestedList(_ key: String) throws(ParleyError) -> [YAMLFields] {
        guard let node = mapping[key] else { return [] }
        guard case .sequence(let sequence) = node else { throw problem(key, "'\(key)' must be a list") }
        var items: [YAMLFields] = []
        for item in sequence {
            guard let child = item.mapping else { throw problem(key, "each item of '\(key)' must be a mapping") }
            items.append(YAMLFields(path: path, mapping: child, lineOffset: lineOffset, line: item.mark.map { $0.line + lineOffset }))
        }
        return items
    }
}
