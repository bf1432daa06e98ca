import Foundation

/// One entry of a number's append-only consent ledger, with the facts a
/// regulator or carrier asks for: who agreed to what text, for what
/// purpose, how, when, recorded by whom, and the evidence.
public struct ConsentEvent: Equatable, Sendable, Codable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Express consent was given (web form, paper, verbal, import).
        case granted
        /// Consent was withdrawn through staff (a call, an email).
        case revoked
        /// The customer texted an opt-out keyword, or a review concluded so.
        case optedOut = "opted_out"
        /// The customer texted an opt-in keyword after opting out.
        case optedIn = "opted_in"
        /// A reply may be a revocation: sending is blocked until a person decides.
        case reviewOpened = "review_opened"
        /// A person decided a review: `resolution` is opt_out or keep.
        case reviewResolved = "review_resolved"
    }

    public enum Method: String, Codable, Sendable, CaseIterable {
        case webForm = "web_form", paper, verbal, keyword, `import`, review
    }

    public var id: String
    public var kind: Kind
    public var time: Date
    public var number: PhoneNumber
    public var name: String?
    /// The disclosure text exactly as the customer saw it.
    public var disclosure: String?
    public var purpose: String?
    public var method: Method?
    /// Where it came from: a form URL, a file name, "inbound message SM…".
    public var source: String?
    /// The agent who recorded it.
    public var actor: String
    public var evidenceIP: String?
    public var evidenceURL: String?
    public var evidenceFileHash: String?
    /// The inbound message that caused it (keywords, reviews).
    public var messageID: String?
    /// The business's line a keyword came in on; an opt-out on any line stops every line.
    public var line: PhoneNumber?
    /// For `review_resolved`: `opt_out` or `keep`.
    public var resolution: String?
    public var note: String?

    public init(
        id: String, kind: Kind, time: Date, number: PhoneNumber, name: String? = nil, disclosure: String? = nil,
        purpose: String? = nil, method: Method? = nil, source: String? = nil, actor: String, evidenceIP: String? = nil,
        evidenceURL: String? = nil, evidenceFileHash: String? = nil, messageID: String? = nil, resolution: String? = nil, note: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.time = time
        self.number = number
        self.name = name
        self.disclosure = disclosure
        self.purpose = purpose
        self.method = method
        self.source = source
        self.actor = actor
        self.evidenceIP = evidenceIP
        self.evidenceURL = evidenceURL
        self.evidenceFileHash = evidenceFileHash
        self.messageID = messageID
        self.resolution = resolution
        self.note = note
    }

    public func fileData() -> Data { recordFileData() }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> ConsentEvent {
        try readRecordFile(data, path: path)
    }
}

extension ConsentEvent: RecordFile {
    static let renamedKeys = ["kind": "event", "messageID": "message"]
}

extension ConsentEvent.Kind: RecordChoice {}
extension ConsentEvent.Method: RecordChoice {}
