import Foundation

/// Pretty, key-sorted JSON with ISO 8601 dates for `--json` output.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) -> String {
        let data = (try? encoder().encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
