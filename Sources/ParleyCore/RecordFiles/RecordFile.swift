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
func snakeCase(_ name: String) -> String {
    let characters = Array(name)
    var result = ""
    for (index, character) in characters.enumerated() {
        if character.isUppercase, index > 0 {
            let previous = characters[index - 1]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) { result += "_" }
        }
        result += character.lowercased()
    }
    return result
}

/// An enumeration written as its raw value, read with a problem that lists the allowed values.
protocol RecordChoice: RawRepresentable, CaseIterable where RawValue == String {}
