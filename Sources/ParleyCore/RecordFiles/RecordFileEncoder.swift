import Foundation

/// Writes a `RecordFile` as `key: value` lines through `YAMLWriter`, in the
/// order its properties are declared. A record holds only scalars (text,
/// numbers, times, numbers' E.164, enumerations' raw values) and lists of
/// scalars; anything else is a programming error that the round-trip tests
/// of every record type would show, so writing never fails at run time.
final class RecordFileEncoder: Encoder {
    let codingPath: [any CodingKey] = []
    let userInfo: [CodingUserInfoKey: Any] = [:]
    fileprivate var yaml = YAMLWriter()
    fileprivate let fileKey: (String) -> String

    private init(fileKey: @escaping (String) -> String) {
        self.fileKey = fileKey
    }

    static func yaml<Record: RecordFile>(for record: Record) -> String {
        let encoder = RecordFileEncoder(fileKey: Record.fileKey)
        do {
            try record.encode(to: encoder)
        } catch {
            preconditionFailure("\(Record.self) has a property a record file cannot hold: \(error)")
        }
        return encoder.yaml.text
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Fields<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { ScalarCapture() }

    func singleValueContainer() -> any SingleValueEncodingContainer { ScalarCapture() }

    private struct Fields<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: RecordFileEncoder
        var codingPath: [any CodingKey] { [] }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            let name = encoder.fileKey(key.stringValue)
            if let time = value as? Date {
                encoder.yaml.field(name, time)
                return
            }
            let capture = ScalarCapture()
            try value.encode(to: capture)
            switch capture.written {
            case .nothing: break
            case .text(let text): encoder.yaml.field(name, text)
            case .literal(let literal): encoder.yaml.unquoted(name, literal)
            case .list(let items): encoder.yaml.list(name, items)
            }
        }

        private func literal(_ value: some LosslessStringConvertible, _ key: Key) {
            encoder.yaml.unquoted(encoder.fileKey(key.stringValue), value.description)
        }

        mutating func encodeNil(forKey key: Key) throws {}
        mutating func encode(_ value: Bool, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: String, forKey key: Key) throws { encoder.yaml.field(encoder.fileKey(key.stringValue), value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { literal(value, key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { literal(value, key) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Unsupported<NestedKey>())
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { ScalarCapture() }
        mutating func superEncoder() -> any Encoder { ScalarCapture() }
        mutating func superEncoder(forKey key: Key) -> any Encoder { ScalarCapture() }
    }
}

/// Records what one property writes of itself: one scalar, or a list of scalars.
private final class ScalarCapture: Encoder, SingleValueEncodingContainer, UnkeyedEncodingContainer {
    enum Written { case nothing, text(String), literal(String), list([String]) }

    var written = Written.nothing
    let codingPath: [any CodingKey] = []
    let userInfo: [CodingUserInfoKey: Any] = [:]
    var count: Int { if case .list(let items) = written { items.count } else { 0 } }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { KeyedEncodingContainer(Unsupported<Key>()) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        written = .list([])
        return self
    }
    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// A scalar: the whole value, or the next item of a list.
    private func put(_ text: String, literal: Bool) {
        if case .list(let items) = written {
            written = .list(items + [text])
        } else {
            written = literal ? .literal(text) : .text(text)
        }
    }

    func encode<T: Encodable>(_ value: T) throws {
        let item = ScalarCapture()
        try value.encode(to: item)
        switch item.written {
        case .text(let text): put(text, literal: false)
        case .literal(let text): put(text, literal: true)
        case .nothing, .list: throw RecordFileShapeError()
        }
    }

    func encodeNil() throws {}
    func encode(_ value: String) throws { put(value, literal: false) }
    func encode(_ value: Bool) throws { put(value.description, literal: true) }
    func encode(_ value: Double) throws { put(value.description, literal: true) }
    func encode(_ value: Float) throws { put(value.description, literal: true) }
    func encode(_ value: Int) throws { put(value.description, literal: true) }
    func encode(_ value: Int8) throws { put(value.description, literal: true) }
    func encode(_ value: Int16) throws { put(value.description, literal: true) }
    func encode(_ value: Int32) throws { put(value.description, literal: true) }
    func encode(_ value: Int64) throws { put(value.description, literal: true) }
    func encode(_ value: UInt) throws { put(value.description, literal: true) }
    func encode(_ value: UInt8) throws { put(value.description, literal: true) }
    func encode(_ value: UInt16) throws { put(value.description, literal: true) }
    func encode(_ value: UInt32) throws { put(value.description, literal: true) }
    func encode(_ value: UInt64) throws { put(value.description, literal: true) }

    func nestedContainer<Key: CodingKey>(keyedBy keyType: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Unsupported<Key>())
    }
    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { ScalarCapture() }
    func superEncoder() -> any Encoder { ScalarCapture() }
}

/// A nested mapping, which a flat record file cannot hold: every write fails.
private struct Unsupported<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil(forKey key: Key) throws { throw RecordFileShapeError() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw RecordFileShapeError() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(Unsupported<NestedKey>())
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { ScalarCapture() }
    mutating func superEncoder() -> any Encoder { ScalarCapture() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { ScalarCapture() }
}

struct RecordFileShapeError: Error, CustomStringConvertible {
    var description: String { "a record file holds scalars and lists of scalars, not nested mappings" }
}
