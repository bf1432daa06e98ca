import Foundation

/// What an automation did for one customer, kept beside their conversation
/// (`automations/STAMP-ID.yaml` on the records branch): it texted them
/// (written in the send commit itself, so a retry finds the decision with
/// the text and never sends twice), held them out (the randomized
/// holdout), or read their answer. The id is derived from the automation,
/// the kind and what it acted on, so acting again finds the record.
public struct AutomationRecord: Equatable, Sendable, Codable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case sent
        case heldOut = "held_out"
        case answer
    }

    public var id: String
    public var kind: Kind
    public var automation: String
    public var number: PhoneNumber
    public var time: Date
    /// What it acted on: the customer's text, the appointment or the close
    /// that triggered it; for an answer, the id of the `sent` record answered.
    public var subject: String
    /// The text sent, or the customer's answer.
    public var message: String?
    /// What the answer was read as: an outcome ("confirmed") or a rating ("4"); nil: left to a person.
    public var answer: String?
    public var useCase: String?
    /// Satisfaction: the agent whose conversation the question followed.
    public var agent: String?

    public init(kind: Kind, automation: String, number: PhoneNumber, time: Date, subject: String, message: String? = nil, answer: String? = nil,
                useCase: String? = nil, agent: String? = nil) {
        id = StableID.make(prefix: "AR", from: [automation, kind.rawValue, number.e164, subject])
        self.kind = kind
        self.automation = automation
        self.number = number
        self.time = time
        self.subject = subject
        self.message = message
        self.answer = answer
        self.useCase = useCase
        self.agent = agent
    }

    /// The id a decision on `subject` has, whatever it was: how a run finds that it already acted.
    public static func decisionIDs(automation: String, number: PhoneNumber, subject: String) -> [String] {
        [Kind.sent, .heldOut].map { StableID.make(prefix: "AR", from: [automation, $0.rawValue, number.e164, subject]) }
    }

    public var path: String { MailboxLayout.automationRecordPath(number, time: time, id: id) }

    public func fileData() -> Data { recordFileData() }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> AutomationRecord {
        try readRecordFile(data, path: path)
    }

    /// Every record in a conversation, oldest first.
    public static func all(of number: PhoneNumber, in snapshot: any StoreSnapshot) throws(ParleyError) -> [AutomationRecord] {
        let directory = MailboxLayout.automationRecordsDirectory(number)
        var records: [AutomationRecord] = []
        for entry in try snapshot.list(directory) ?? [] where entry.name.hasSuffix(".yaml") {
            let path = directory + "/" + entry.name
            if let data = try snapshot.read(path) { records.append(try parse(data, path: path)) }
        }
        return records.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }
}

extension AutomationRecord: RecordFile {
    static let renamedKeys = ["kind": "event"]
}

extension AutomationRecord.Kind: RecordChoice {}
