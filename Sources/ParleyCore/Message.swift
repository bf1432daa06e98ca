import Foundation

/// One SMS, stored as one immutable Markdown file: front matter for the
/// facts, the body for the text. Later status changes are separate
/// `DeliveryRecord` files; a message file is never rewritten.
public struct Message: Equatable, Sendable, Codable {
    public var id: String
    public var direction: Direction
    public var time: Date
    public var from: PhoneNumber
    public var to: PhoneNumber
    /// Handle of the agent who sent it; nil for inbound messages.
    public var agent: String?
    public var gateway: String
    /// The provider's id for this message, when it gave one.
    public var gatewayID: String?
    /// Status when the file was written; see `DeliveryRecord` for later ones.
    public var status: DeliveryStatus
    public var segments: Int
    public var encoding: String
    /// Template name and the blob id of the template version used.
    public var template: String?
    public var templateBlob: String?
    /// Compliance rules overridden for this send, with the reasons given.
    public var overrides: [Override]
    /// Kinds of sensitive number removed from an inbound body before it was
    /// written (`card`, `ssn`): that it happened, never what was removed.
    public var redacted: [String] = []
    /// Pictures and other files sent with the message (MMS), stored under the conversation's `media/`.
    public var media: [MessageMedia] = []
    /// The second person who approved it before it went (`review:` in parley.yaml).
    public var approvedBy: String?
    public var body: String

    public init(
        id: String, direction: Direction, time: Date, from: PhoneNumber, to: PhoneNumber, agent: String?,
        gateway: String, gatewayID: String?, status: DeliveryStatus, segments: Int, encoding: String,
        template: String? = nil, templateBlob: String? = nil, overrides: [Override] = [], body: String
    ) {
        self.id = id
        self.direction = direction
        self.time = time
        self.from = from
        self.to = to
        self.agent = agent
        self.gateway = gateway
        self.gatewayID = gatewayID
        self.status = status
        self.segments = segments
        self.encoding = encoding
        self.template = template
        self.templateBlob = templateBlob
        self.overrides = overrides
        self.body = body
    }

    /// The customer's number: who the conversation is with.
    public var counterpart: PhoneNumber { direction == .inbound ? from : to }

    public func fileData() -> Data {
        var yaml = YAMLWriter()
        yaml.field("id", id)
        yaml.field("direction", direction.rawValue)
        yaml.field("time", time)
        yaml.field("from", from.e164)
        yaml.field("to", to.e164)
        yaml.field("agent", agent)
        yaml.field("approved_by", approvedBy)
        yaml.field("gateway", gateway)
        yaml.field("gateway_id", gatewayID)
        yaml.field("status", status.rawValue)
        yaml.field("segments", segments)
        yaml.field("encoding", encoding)
        yaml.field("template", template)
        yaml.field("template_blob", templateBlob)
        yaml.list("overrides", overrides.map(\.description))
        yaml.list("redacted", redacted)
        yaml.mappingList("media", media.map(\.fields))
        return FrontMatterDocument.render(yaml, body: body)
    }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> Message {
        let document = try FrontMatterDocument.parse(data, path: path)
        let fields = document.fields
        let id = try fields.string("id")
        guard MessageID.isValid(id) else { throw fields.problem("id", "'id' must be 1–64 letters, digits, '_' or '-', not '\(id)'") }
        let directionText = try fields.string("direction")
        guard let direction = Direction(rawValue: directionText) else {
            throw fields.problem("direction", "'direction' must be inbound or outbound, not '\(directionText)'")
        }
        let status = try fields.choice("status", of: DeliveryStatus.self)
        var message = Message(
            id: id, direction: direction, time: try fields.date("time"),
            from: try fields.phone("from"), to: try fields.phone("to"),
            agent: try fields.optionalString("agent"), gateway: try fields.string("gateway"),
            gatewayID: try fields.optionalString("gateway_id"), status: status,
            segments: try fields.int("segments") ?? 1, encoding: try fields.optionalString("encoding") ?? "GSM-7",
            template: try fields.optionalString("template"), templateBlob: try fields.optionalString("template_blob"),
            overrides: try Override.list(fields), body: document.body)
        message.redacted = try fields.stringList("redacted")
        message.approvedBy = try fields.optionalString("approved_by")
        for item in try fields.nestedList("media") { message.media.append(try MessageMedia.parse(item)) }
        return message
    }
}
