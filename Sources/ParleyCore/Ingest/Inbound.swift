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
    /// The automatic reply, as recorded (a refused one with status failed).
    public let reply: Message?
    /// Why the automatic reply a keyword asks for was not sent, or was
    /// sent but not recorded.
    public let replyProblem: ParleyError?

    public var isDuplicate: Bool { commit == nil }

    public init(message: Message, commit: CommitRecord?, keyword: KeywordClassifier.Kind?, consentChange: ConsentEvent?, reply: Message?,
        replyProblem: ParleyError?) {
        self.message = message
        self.commit = commit
        self.keyword = keyword
        self.consentChange = consentChange
        self.reply = reply
        self.replyProblem = replyProblem
    }
}

/// What arrives: inbound messages, delivery reports and keyword replies, stored one group commit at a time.
public struct Inbound: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// Stores an inbound message and applies its keyword in the same
    /// commit: STOP-words opt the number out, START-words opt it back in,
    /// and a reply that reads like "please stop texting me" holds every send
    /// until a person reviews it. With the gateway's id, a second delivery
    /// of the same message finds it stored and does nothing. When
    /// `replyVia` is given and keyword replies are on, the confirmation or
    /// HELP answer is planned in that commit, sent, and recorded—at most
    /// one per event.
    public func receive(
        from number: PhoneNumber, to: PhoneNumber? = nil, body: String, gateway: String,
        gatewayID: String? = nil, time: Date? = nil, replyVia replyGateway: (any Gateway)? = nil
    ) async throws(ParleyError) -> ReceiveResult {
        let inbound = InboundMessage(from: number, to: to, body: body, gateway: gateway, gatewayID: gatewayID, time: time)
        let (commit, outcomes) = try ingest([.inbound(inbound)], replyingVia: replyGateway?.name)
        switch outcomes.first {
        case .stored(let message, let keyword, let change, let plan)?:
            var reply: (Message?, ParleyError?) = (nil, nil)
            if let plan, let replyGateway {
                reply = recordReply(await KeywordReplies(mailbox: mailbox).submit([plan], via: replyGateway)[0])
            }
            return ReceiveResult(message: message, commit: commit, keyword: keyword, consentChange: change, reply: reply.0, replyProblem: reply.1)
        case .duplicate(let id)?:
            let existing = try mailbox.conversations.conversation(number).messages.first { $0.id == id }
            let message = existing ?? Message(id: id, direction: .inbound, time: time ?? clock.now(), from: number, to: to ?? config.businessNumber,
                                              agent: nil, gateway: gateway, gatewayID: gatewayID, status: .received, segments: 1, encoding: "GSM-7",
                                              body: body)
            return ReceiveResult(message: message, commit: nil, keyword: nil, consentChange: nil, reply: nil, replyProblem: nil)
        case .rejected(let error)?:
            throw error
        default:
            throw .storage("the message was neither stored nor found")
        }
    }

    /// Commits an automatic reply's outcome and says what went wrong, if anything.
    private func recordReply(_ attempt: ReplyAttempt) -> (Message?, ParleyError?) {
        let what = "the automatic \(attempt.entry.replyTo ?? "keyword") reply to \(attempt.entry.to.e164)"
        let recorded: Message?
        do {
            let (_, outcomes) = try ingest([.reply(attempt)])
            guard case .replied(let message, _)? = outcomes.first else { return (nil, .storage("\(what) was not recorded")) }
            recorded = message
        } catch {
            if case .submitted = attempt.result {
                return (nil, .storage("\(what) was sent but not recorded (\(error)); its outbox entry stays for 'parley outbox reconcile'"))
            }
            return (nil, error)
        }
        switch attempt.result {
        case .submitted: return (recorded, nil)
        case .refused(let error): return (recorded, .gateway("\(what) was refused: \(attempt.gateway) \(error)"))
        case .notSent(let why): return (nil, .gateway("\(what) was not sent: \(why)"))
        case .inDoubt(let why): return (nil, .inDoubt("\(what) may have been sent (\(why)); 'parley outbox reconcile' settles it"))
        }
    }

    /// The consent event a keyword causes, given the current state; nil when it changes nothing.
    static func consentChange(for keyword: KeywordClassifier.Kind?, state: ConsentState, number: PhoneNumber, message: Message,
        id: String) -> ConsentEvent? {
        let source = "inbound message \(message.id)"
        var event: ConsentEvent
        switch keyword {
        case .optOut where state.status != .optedOut:
            event = ConsentEvent(id: id, kind: .optedOut, time: message.time, number: number, method: .keyword, source: source,
                                actor: Agent.systemHandle, messageID: message.id, note: "texted \"\(message.body.prefix(40))\"")
        case .optIn where state.status == .optedOut:
            event = ConsentEvent(id: id, kind: .optedIn, time: message.time, number: number, method: .keyword, source: source,
                                actor: Agent.systemHandle, messageID: message.id, note: "texted \"\(message.body.prefix(40))\"")
        case .possibleRevocation where state.status != .optedOut && !state.underReview:
            event = ConsentEvent(id: id, kind: .reviewOpened, time: message.time, number: number, method: .review, source: source,
                                actor: Agent.systemHandle, messageID: message.id, note: "reply may be a request to stop: \"\(message.body.prefix(80))\"")
        default:
            return nil
        }
        event.line = message.to
        return event
    }

    /// Whether a provider's message is already stored (a retried webhook), so its media need not be fetched again.
    public func hasStored(_ inbound: InboundMessage) throws(ParleyError) -> Bool {
        guard let id = inbound.gatewayID, MessageID.isValid(id) else { return false }
        return try Self.storedMessage(id: id, of: inbound.from, in: store.snapshot())
    }

    /// Whether a message with `id` is stored in the conversation, whatever
    /// time its file name carries.
    static func storedMessage(id: String, of number: PhoneNumber, in snapshot: any StoreSnapshot) throws(ParleyError) -> Bool {
        try snapshot.list(MailboxLayout.messagesDirectory(number))?.contains {
            MailboxLayout.messageID(fromFileName: $0.name) == id
        } ?? false
    }
}
