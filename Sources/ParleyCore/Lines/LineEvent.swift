import Foundation

/// A pause or resumption of a sender line, stored on the records branch
/// under `lines/NUMBER/events/`. A line pauses itself when too many of its
/// latest sends fail or are filtered; only a person resumes it, with a reason.
public struct LineEvent: Equatable, Sendable, Codable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case pause, resume
    }

    public var id: String
    public var kind: Kind
    public var time: Date
    public var line: PhoneNumber
    /// Who: an agent's handle, or `system` for a pause Parley made.
    public var by: String
    public var reason: String

    public init(id: String, kind: Kind, time: Date, line: PhoneNumber, by: String, reason: String) {
        self.id = id
        self.kind = kind
        self.time = time
        self.line = line
        self.by = by
        self.reason = reason
    }

    public func fileData() -> Data { recordFileData() }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> LineEvent {
        try readRecordFile(data, path: path)
    }
}

extension LineEvent: RecordFile {
    static let renamedKeys = ["kind": "event"]
}

extension LineEvent.Kind: RecordChoice {}
