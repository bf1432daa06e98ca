import Foundation

/// Reads a `RecordFile` from its YAML fields through the record's own
/// `Decodable` conformance. A record holds text, numbers, truth values,
/// times, phone numbers, `RecordChoice` enumerations and lists of text;
/// every value goes through `YAMLFields`' typed accessors, so a bad time, number, choice or missing key is reported as
/// `path:line: problem` exactly as a hand-written reader would report it.
struct RecordFileDecoder: Decoder {
    let fields: YAMLFields
    let fileKey: (String) -> String
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<Record: RecordFile>(_ type: Record.Type, from fields: YAMLFields) throws(ParleyError) -> Record {
        do {
            return try Record(from: RecordFileDecoder(fields: fields, fileKey: Record.fileKey))
        } catch let error as ParleyError {
            throw error
        } catch {
            throw .malformed(FormatIssue(path: fields.path, line: fields.line, problem: "\(error)"))
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Fields<Key>(fields: fields, fileKey: fileKey))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw fields.problem("", "expected 'key: value' lines, not a list")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw fields.problem("", "expected 'key: value' lines, not a single value")
    }

    private struct Fields<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: YAMLFields
        let fileKey: (String) -> String
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }

        private func name(_ key: Key) -> String { fileKey(key.stringValue) }

        func contains(_ key: Key) -> Bool { fields.has(name(key)) }

        func decodeNil(forKey key: Key) throws -> Bool { fields.isEmpty(name(key)) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let name = name(key)
            let value: Any
            if T.self == Date.self {
                value = try fields.date(name)
            } else if T.self == PhoneNumber.self {
                value = try fields.phone(name)
            } else if T.self == [String].self {
                value = try fields.stringList(name)
            } else if let choice = T.self as? any RecordChoice.Type {
                value = try choice.read(name, from: fields)
            } else {
                throw fields.problem(name, "'\(name)' has a type a record file does not hold: \(T.self)")
            }
            guard let typed = value as? T else { throw fields.problem(name, "'\(name)' cannot be read as \(T.self)") }
            return typed
        }

        func decode(_ type: String.Type, forKey key: Key) throws -> String { try fields.string(name(key)) }

        // The optional fields, read with one lookup of the key (two for typed values). The protocol's
        // default asks `contains`, `decodeNil` and `decode` in turn, and most of a record's fields are optional.
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try fields.optionalString(name(key)) }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            fields.isEmpty(name(key)) ? nil : try decode(type, forKey: key)
        }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(fields.bool(name(key)), key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(fields.int(name(key)), key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try number(key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try number(key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try number(key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try number(key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try number(key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try number(key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try number(key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try number(key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try number(key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try number(key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try number(key) }

        private func required<Value>(_ value: Value?, _ key: Key) throws -> Value {
            guard let value else { throw fields.problem(name(key), "missing '\(name(key))'") }
            return value
        }

        private func number<Value: LosslessStringConvertible>(_ key: Key) throws -> Value {
            let text = try fields.string(name(key))
            guard let value = Value(text) else { throw fields.problem(name(key), "'\(name(key))' must be a number, not '\(text)'") }
            return value
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
            forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw fields.problem(name(key), "'\(name(key))' must be a single value or a list")
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw fields.problem(name(key), "'\(name(key))' is read as a list of text only")
        }

        func superDecoder() throws -> any Decoder { throw fields.problem("", "a record file has no superclass part") }
        func superDecoder(forKey key: Key) throws -> any Decoder { try superDecoder() }
    }
}

extension RecordChoice {
    static func read(_ key: String, from fields: YAMLFields) throws(ParleyError) -> Self {
        try fields.choice(key, of: Self.self)
    }
}

