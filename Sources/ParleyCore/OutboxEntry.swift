import Foundation

/// A message that has not (provably) left yet: scheduled for later, being
/// submitted right now (the write-ahead intent), or in doubt after a
/// gateway went silent. It lives under `outbox/` until the send commit
/// removes it, so `parley outbox` can always say what is pending.
public struct OutboxEntry: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Waiting for its time; every rule is checked again when it goes.
        case scheduled
        /// Committed before submission; if Parley stops now, it is in doubt.
        case sending
        /// The gateway may or may not have sent it: reconcile before any resend.
        case inDoubt = "in_doubt"
        /// The review policy holds it for a second person (`parley approve`, `parley reject`).
        case awaitingApproval = "awaiting_approval"
    }

    public var id: String
    public var to: PhoneNumber
    public var state: State
    public var created: Date
    public var notBefore: Date?
    public var agent: String
    public var gateway: String?
    public var template: String?
    public var templateBlob: String?
    public var overrides: [Override]
    /// What happened last (a refusal at flush time, the gateway's silence).
    public var note: String?
    /// The keyword (STOP, START, HELP) this automatic reply answers; nil for a person's message.
    public var replyTo: String?
    /// Why the review policy held it for approval, as it was when it was held.
    public var review: [String] = []
    /// Who approved it: a scheduled text approved before its time goes out with this.
    public var approvedBy: String?
    /// Media to send with the text (MMS); their files are committed with the intent.
    public var media: [MessageMedia] = []
    /// The line it goes from; nil: the mailbox's default line.
    public var from: PhoneNumber?
    public var body: String

    public init(id: String, to: PhoneNumber, state: State, created: Date, notBefore: Date?, agent: String, gateway: String?,
                template: String?, templateBlob: String?, overrides: [Override], note: String?, replyTo: String? = nil, body: String) {
        self.id = id
        self.to = to
        self.state = state
        self.created = created
        self.notBefore = notBefore
        self.agent = agent
        self.gateway = gateway
        self.template = template
        self.templateBlob = templateBlob
        self.overrides = overrides
        self.note = note
        self.replyTo = replyTo
        self.body = body
    }

    /// The message this entry becomes once `gateway` has it: the one place
    /// an entry turns into a message, for a send, a reconcile or a late report.
    /// It goes from the entry's own line, else from `business`.
    public func message(from business: PhoneNumber, gateway: String, gatewayID: String?, status: DeliveryStatus, segments: Int? = nil) -> Message {
        let count = SegmentCount(body)
        var message = Message(
            id: id, direction: .outbound, time: created, from: from ?? business, to: to, agent: agent, gateway: gateway, gatewayID: gatewayID,
            status: status, segments: segments ?? count.segments, encoding: count.encoding.rawValue, template: template,
            templateBlob: templateBlob, overrides: overrides, body: body)
        message.media = media
        message.approvedBy = approvedBy
        return message
    }

    /// What sending this entry sends: its text, template, overridden rules with their reasons, and approver.
    public var outgoing: OutgoingMessage {
        var outgoing = OutgoingMessage(body: body, template: template.map { MessageTemplate.reference(name: $0, blobID: templateBlob) },
                                       overrides: Override.reasons(overrides))
        outgoing.approvedBy = approvedBy
        return outgoing
    }

    /// Whether a person typing `id` means this entry: its whole id, or its first six or more characters.
    public func isNamed(by id: String) -> Bool {
        self.id == id || (id.count >= 6 && self.id.hasPrefix(id.uppercased()))
    }

    /// Where the entry lives: named by its creation time and id, so its path never changes.
    public var path: String { MailboxLayout.outboxPath(time: created, id: id) }

    public func fileData() -> Data {
        var yaml = YAMLWriter()
        yaml.field("id", id)
        yaml.field("to", to.e164)
        yaml.field("from", from?.e164)
        yaml.field("state", state.rawValue)
        yaml.field("created", created)
        yaml.field("not_before", notBefore)
        yaml.field("agent", agent)
        yaml.field("approved_by", approvedBy)
        yaml.field("gateway", gateway)
        yaml.field("template", template)
        yaml.field("template_blob", templateBlob)
        yaml.list("overrides", overrides.map(\.description))
        yaml.field("note", note)
        yaml.field("reply_to", replyTo)
        yaml.list("review", review)
        yaml.mappingList("media", media.map(\.fields))
        return FrontMatterDocument.render(yaml, body: body)
    }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> OutboxEntry {
        let document = try FrontMatterDocument.parse(data, path: path)
        let fields = document.fields
        let state = try fields.choice("state", of: State.self)
        var entry = OutboxEntry(
            id: try fields.string("id"), to: try fields.phone("to"), state: state, created: try fields.date("created"),
            notBefore: try fields.optionalDate("not_before"), agent: try fields.string("agent"), gateway: try fields.optionalString("gateway"),
            template: try fields.optionalString("template"), templateBlob: try fields.optionalString("template_blob"),
            overrides: try Override.list(fields), note: try fields.optionalString("note"),
            replyTo: try fields.optionalString("reply_to"), body: document.body)
        entry.review = try fields.stringList("review")
        entry.approvedBy = try fields.optionalString("approved_by")
        if fields.has("from") { entry.from = try fields.phone("from") }
        for item in try fields.nestedList("media") { entry.media.append(try MessageMedia.parse(item)) }
        return entry
    }
}
