import Foundation

/// What `receive` did.
public struct ReceiveResult: Sendable {
    public let message: Message
    /// Nil when the message was already stored (a retried webhook).
    public let commit: CommitRecord?
    /// The keyword the message was, if any.
    public let keyword: KeywordClassifier.Kind?
    /// The consent change committed with the message (opt-out, opt-in, review).
    public let consentChange: ConsentEvent?
    /// The automatic reply, when one was sent.
    public let reply: SendResult?
    /// Why no automatic reply was sent although the keyword asks for one.
    public let replyProblem: ParleyError?

    public var isDuplicate: Bool { commit == nil }

    public init(message: Message, commit: CommitRecord?, keyword: KeywordClassifier.Kind?, consentChange: ConsentEvent?, reply: SendResult?, replyProblem: ParleyError?) {
        self.message = message
        self.commit = commit
        self.keyword = keyword
        self.consentChange = consentChange
        self.reply = reply
        self.replyProblem = replyProblem
    }
}

extension Mailbox {
    /// Stores an inbound message and applies its keyword in the same
    /// commit: STOP-words opt the number out, START-words opt it back in,
    /// and a reply that reads like "please stop texting me" holds every send
    /// until a person reviews it. With the gateway's id, a second delivery
    /// of the same message finds it stored and does nothing. When
    /// `replyVia` is given and keyword replies are on, the confirmation or
    /// HELP answer is sent—at most one per event.
    public func receive(
        from number: PhoneNumber, to: PhoneNumber? = nil, body: String, gateway: String,
        gatewayID: String? = nil, time: Date? = nil, replyVia replyGateway: (any Gateway)? = nil
    ) async throws(ParleyError) -> ReceiveResult {
        let inbound = InboundMessage(from: number, to: to, body: body, gateway: gateway, gatewayID: gatewayID, time: time)
        let (commit, outcomes) = try ingest([.inbound(inbound)])
        switch outcomes.first {
        case .stored(let message, let keyword, let change)?:
            let stored = ReceiveResult(message: message, commit: commit, keyword: keyword, consentChange: change, reply: nil, replyProblem: nil)
            guard let replyGateway else { return stored }
            return await answerKeyword(stored, via: replyGateway)
        case .duplicate(let id)?:
            let existing = try conversation(number).messages.first { $0.id == id }
            let message = existing ?? Message(id: id, direction: .inbound, time: time ?? clock.now(), from: number, to: to ?? config.businessNumber,
                                              agent: nil, gateway: gateway, gatewayID: gatewayID, status: .received, segments: 1, encoding: "GSM-7", body: body)
            return ReceiveResult(message: message, commit: nil, keyword: nil, consentChange: nil, reply: nil, replyProblem: nil)
        case .rejected(let error)?:
            throw error
        default:
            throw .storage("the message was neither stored nor found")
        }
    }

    /// Sends the confirmation or HELP answer a stored keyword calls for—at
    /// most one per consent event—when keyword replies are on.
    public func answerKeyword(_ stored: ReceiveResult, via gateway: any Gateway) async -> ReceiveResult {
        guard let kind = stored.keyword, config.compliance.keywordReplies else { return stored }
        let business = config.businessName
        let reply: (String, String)?
        switch kind {
        case .optOut where stored.consentChange != nil: reply = (config.compliance.stopReplyText(business), "STOP")
        case .optIn where stored.consentChange != nil: reply = (config.compliance.startReplyText(business), "START")
        case .help: reply = (config.compliance.helpReplyText(business, config.businessNumber), "HELP")
        default: reply = nil
        }
        guard let (text, reason) = reply else { return stored }
        let number = stored.message.from
        do {
            let sent = try await sendAutomaticReply(to: number, body: text, reason: reason, after: stored.message.time, via: gateway)
            return ReceiveResult(message: stored.message, commit: stored.commit, keyword: kind, consentChange: stored.consentChange, reply: sent, replyProblem: nil)
        } catch {
            return ReceiveResult(message: stored.message, commit: stored.commit, keyword: kind, consentChange: stored.consentChange, reply: nil, replyProblem: error)
        }
    }

    /// The consent event a keyword causes, given the current state; nil when it changes nothing.
    static func consentChange(for keyword: KeywordClassifier.Kind?, state: ConsentState, number: PhoneNumber, message: Message, id: String) -> ConsentEvent? {
        let source = "inbound message \(message.id)"
        switch keyword {
        case .optOut where state.status != .optedOut:
            return ConsentEvent(id: id, kind: .optedOut, time: message.time, number: number, method: .keyword, source: source,
                                actor: "parley", messageID: message.id, note: "texted \"\(message.body.prefix(40))\"")
        case .optIn where state.status == .optedOut:
            return ConsentEvent(id: id, kind: .optedIn, time: message.time, number: number, method: .keyword, source: source,
                                actor: "parley", messageID: message.id, note: "texted \"\(message.body.prefix(40))\"")
        case .possibleRevocation where state.status != .optedOut && !state.underReview:
            return ConsentEvent(id: id, kind: .reviewOpened, time: message.time, number: number, method: .review, source: source,
                                actor: "parley", messageID: message.id, note: "reply may be a request to stop: \"\(message.body.prefix(80))\"")
        default:
            return nil
        }
    }

    /// Whether a message with `id` is stored in the conversation, whatever
    /// time its file name carries.
    static func storedMessage(id: String, of number: PhoneNumber, in snapshot: any StoreSnapshot) throws(ParleyError) -> Bool {
        try snapshot.list(MailboxLayout.messagesDirectory(number))?.contains {
            MailboxLayout.messageID(fromFileName: $0.name) == id
        } ?? false
    }
}
