import Foundation

/// Reading providers' JSON without trusting its shape: every accessor
/// answers nil for a missing or mistyped value.
enum JSONValue {
    static func object(_ text: String) -> [String: Any]? { parse(text) as? [String: Any] }

    static func parse(_ text: String) -> Any? {
        guard let data = text.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    static func parse(_ bytes: [UInt8]) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [])
    }

    /// A string field, or a number written as one (providers mix both).
    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    static func int(_ value: Any?) -> Int? { string(value).flatMap { Int($0) } }

    /// The text of a JSON value for a signature or a record.
    static func encode(_ value: Any) -> String {
        let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
