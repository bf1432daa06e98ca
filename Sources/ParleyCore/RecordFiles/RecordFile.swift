import Foundation

/// A record stored as one flat YAML mapping (consent and triage events,
/// delivery receipts, outcomes, erasures). Its keys are declared once, by
/// its properties: the file key is the property's name in snake case
/// (`gatewayID` → `gateway_id`) unless `renamedKeys` says otherwise, and
/// the order is the declaration order. `RecordFileEncoder` writes the
/// properties and the record's own `Decodable` conformance reads them back
/// (`RecordFileDecoder`), so writing and reading can never drift apart.
/// The JSON a command prints keeps Swift's names.
protocol RecordFile: Codable {
    /// Properties whose file key is not their snake-case name, e.g. `["kind": "event"]`.
    static var renamedKeys: [String: String] { get }
    /// Checks across fields that the types alone cannot state; runs after reading.
    func validate(in fields: YAMLFields) throws(ParleyError)
}

extension RecordFile {
    static var renamedKeys: [String: String] { [:] }

    func validate(in fields: YAMLFields) throws(ParleyError) {}

    /// The file's bytes: the same record always gives the same bytes.
    func recordFileData() -> Data {
        Data(RecordFileEncoder.yaml(for: self).utf8)
    }

    /// Reads the record at `path`; a problem names the file and the key's line.
    static func readRecordFile(_ data: Data, path: String) throws(ParleyError) -> Self {
        let fields = try YAMLFields.parseMapping(data, path: path)
        let record = try RecordFileDecoder.decode(Self.self, from: fields)
        try record.validate(in: fields)
        return record
    }

    /// The file key of a property: its renamed key, or its name in snake case.
    static func fileKey(_ property: String) -> String {
        renamedKeys[property] ?? snakeCase(property)
    }
}

/// `gatewayID` → `gateway_id`, `evidenceFileHash` → `evidence_file_hash`: an
/// underscore before each word, where a word starts with a capital after a
/// small letter or digit, or with the last capital of an acronym before a small letter.
/// It works on bytes because it runs for every field of every record read
/// (a third of the time of parsing a consent event) and every property
/// name is ASCII; any other byte is copied as it is. The result is written
/// straight into the new string: most keys then fit in a string's inline
/// room and no memory is allocated at all.
func snakeCase(_ name: String) -> String {
    func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    func isLower(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    // Most names (`time`, `status`, `id`) have no capital and stay as they are.
    guard name.utf8.contains(where: isUpper) else { return name }
    var name = name
    return name.withUTF8 { bytes in
        String(unsafeUninitializedCapacity: bytes.count * 2) { result in
            var written = 0
            for (index, byte) in bytes.enumerated() {
                if isUpper(byte), index > 0 {
                    let previous = bytes[index - 1]
                    let nextIsLower = index + 1 < bytes.count && isLower(bytes[index + 1])
                    if isLower(previous) || isDigit(previous) || (isUpper(previous) && nextIsLower) {
                        result[written] = UInt8(ascii: "_")
                        written += 1
                    }
                }
                result[written] = isUpper(byte) ? byte + 32 : byte
                written += 1
            }
            return written
        }
    }
}

/// An enumeration written as its raw value, read with a problem that lists the allowed values.
protocol RecordChoice: RawRepresentable, CaseIterable where RawValue == String {}
