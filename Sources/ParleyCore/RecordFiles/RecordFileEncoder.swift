import Foundation

/// Writes a `RecordFile` as `key: value` lines through `YAMLWriter`, one
/// line per stored property in declaration order (read by reflection, so
/// the properties are the only list of keys). A record holds text, whole
/// numbers, truth values, times, phone numbers, `RecordChoice`
/// enumerations and lists of text, each possibly optional; a nil or empty
/// list is left out.
enum RecordFileEncoder {
    static func yaml<Record: RecordFile>(for record: Record) -> String {
        var yaml = YAMLWriter()
        for child in Mirror(reflecting: record).children {
            guard let property = child.label, let value = unwrapped(child.value) else { continue }
            let key = Record.fileKey(property)
            switch value {
            case let text as String: yaml.field(key, text)
            case let time as Date: yaml.field(key, time)
            case let number as PhoneNumber: yaml.field(key, number.e164)
            case let choice as any RecordChoice: yaml.field(key, choice.rawValue)
            case let list as [String]: yaml.list(key, list)
            case let number as Int: yaml.field(key, number)
            case let truth as Bool: yaml.field(key, truth)
            default: preconditionFailure("\(Record.self).\(property) is a \(type(of: value)), which a record file does not hold")
            }
        }
        return yaml.text
    }

    /// The value inside an optional, nil for none; any other value as it is.
    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map { unwrapped($0.value) } ?? nil
    }
}
