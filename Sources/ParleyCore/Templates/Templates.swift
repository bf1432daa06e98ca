import Foundation

/// A draft: a message prepared from a template (or by hand) and kept per
/// agent under `drafts/`, editable in `$EDITOR`, sent with `send --draft`.
public struct Draft: Sendable, Equatable {
    public var number: PhoneNumber
    public var template: String?
    public var templateBlob: String?
    public var created: Date
    public var body: String

    public init(number: PhoneNumber, template: String?, templateBlob: String?, created: Date, body: String) {
        self.number = number
        self.template = template
        self.templateBlob = templateBlob
        self.created = created
        self.body = body
    }

    public func fileData() -> Data {
        var yaml = YAMLWriter()
        yaml.field("to", number.e164)
        yaml.field("template", template)
        yaml.field("template_blob", templateBlob)
        yaml.field("created", created)
        return FrontMatterDocument.render(yaml, body: body)
    }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> Draft {
        let document = try FrontMatterDocument.parse(data, path: path)
        return Draft(
            number: try document.fields.phone("to"), template: try document.fields.optionalString("template"),
            templateBlob: try document.fields.optionalString("template_blob"), created: try document.fields.date("created"),
            body: document.body)
    }
}

/// Templates, the tone guide and drafts, as committed on the checked-out branch.
public struct Templates: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// The tone guide at the tip; an empty guide when the mailbox has none.
    public func toneGuide() throws(ParleyError) -> ToneGuide {
        guard let data = try store.snapshot().read(MailboxLayout.toneGuide) else { return ToneGuide() }
        return try ToneGuide.parse(data)
    }

    /// Every template at the tip, by name. A malformed one is an error naming its file and line.
    public func all() throws(ParleyError) -> [MessageTemplate] {
        let snapshot = try store.snapshot()
        var templates: [MessageTemplate] = []
        for entry in try snapshot.list(MailboxLayout.templatesDirectory) ?? [] where !entry.isDirectory && entry.name.hasSuffix(".md") {
            let name = String(entry.name.dropLast(3))
            templates.append(try template(name, in: snapshot))
        }
        return templates
    }

    /// The committed version of a template: what people reviewed, with its blob id.
    public func template(_ name: String) throws(ParleyError) -> MessageTemplate {
        try template(name, in: store.snapshot())
    }

    private func template(_ name: String, in snapshot: any StoreSnapshot) throws(ParleyError) -> MessageTemplate {
        guard MessageTemplate.isValidName(name) else { throw .invalidInput("'\(name)' is not a template name") }
        let path = MailboxLayout.templatePath(name)
        guard let data = try snapshot.read(path) else {
            let known = (try snapshot.list(MailboxLayout.templatesDirectory) ?? []).map { $0.name.replacingOccurrences(of: ".md", with: "") }
            throw .notFound("no template '\(name)' (committed templates: \(known.joined(separator: ", "))); see parley template list")
        }
        return try MessageTemplate.parse(data, name: name, blobID: try snapshot.contentID(path))
    }

    /// The values a template can use without `--set`: the contact's name,
    /// the agent and the business.
    public func values(for number: PhoneNumber) throws(ParleyError) -> [String: String] {
        var values = [
            "business_name": config.businessName, "business_number": config.businessNumber.formatted,
            "agent_name": agent.name.split(separator: " ").first.map(String.init) ?? agent.name, "agent_full_name": agent.name,
            "agent_handle": agent.handle,
        ]
        if let name = try mailbox.contacts.find(number)?.name {
            let parts = name.split(separator: " ")
            values["name"] = name
            values["first_name"] = parts.first.map(String.init)
            if parts.count > 1 { values["last_name"] = parts.dropFirst().joined(separator: " ") }
        }
        return values
    }

    /// Fills a template for a number; `values` are the `--set` values, which win over the contact's.
    public func fill(_ template: MessageTemplate, for number: PhoneNumber, setting values: [String: String]) throws(ParleyError) -> String {
        try template.render(self.values(for: number).merging(values) { _, set in set })
    }

    /// Writes (or replaces) this agent's draft for a number, as one commit.
    @discardableResult
    public func saveDraft(_ draft: Draft) throws(ParleyError) -> CommitRecord? {
        let path = MailboxLayout.draftPath(agent: agent.handle, number: draft.number)
        return try store.commit { snapshot throws(ParleyError) in
            change([path: draft.fileData()], CommitMessage(
                subject: "Draft a message to \(label(draft.number, in: snapshot))" + (draft.template.map { " from template \($0)" } ?? ""),
                action: .draft, trailers: [(.number, draft.number.e164)] + (draft.template.map { [(.template, $0)] } ?? [])))
        }
    }

    /// This agent's committed draft for a number.
    /// This agent's draft as it is now: the work-tree copy when there is
    /// one (the point of a draft is to be edited), else the committed one.
    public func currentDraft(_ number: PhoneNumber) throws(ParleyError) -> Draft {
        let path = MailboxLayout.draftPath(agent: agent.handle, number: number)
        if let data = store.workTreeContents(path) { return try Draft.parse(data, path: path) }
        return try draft(number)
    }

    /// The draft to send: one edited in the work tree is committed as
    /// edited first, so the history shows what was sent and the send
    /// commit can remove it.
    public func draftForSending(_ number: PhoneNumber) throws(ParleyError) -> Draft {
        let current = try currentDraft(number)
        if (try? draft(number)) != current { try saveDraft(current) }
        return current
    }

    public func draft(_ number: PhoneNumber) throws(ParleyError) -> Draft {
        let path = MailboxLayout.draftPath(agent: agent.handle, number: number)
        guard let data = try store.snapshot().read(path) else {
            throw .notFound("no draft to \(number.e164) by \(agent.handle); write one with 'parley draft \(number.e164) --template NAME'")
        }
        return try Draft.parse(data, path: path)
    }
}
