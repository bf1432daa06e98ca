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
        let stored = try store(from: number, to: to, body: body, gateway: gateway, gatewayID: gatewayID, time: time)
        guard stored.commit != nil, let kind = stored.keyword, let replyGateway, config.compliance.keywordReplies else { return stored }
        let business = config.businessName
        let reply: (String, String)?
        switch kind {
        case .optOut where stored.consentChange != nil: reply = (config.compliance.stopReplyText(business), "STOP")
        case .optIn where stored.consentChange != nil: reply = (config.compliance.startReplyText(business), "START")
        case .help: reply = (config.compliance.helpReplyText(business, config.businessNumber), "HELP")
        default: reply = nil
        }
        guard let (text, reason) = reply else { return stored }
        do {
            let sent = try await sendAutomaticReply(to: number, body: text, reason: reason, after: stored.message.time, via: replyGateway)
            return ReceiveResult(message: stored.message, commit: stored.commit, keyword: kind, consentChange: stored.consentChange, reply: sent, replyProblem: nil)
        } catch {
            return ReceiveResult(message: stored.message, commit: stored.commit, keyword: kind, consentChange: stored.consentChange, reply: nil, replyProblem: error)
        }
    }

    /// Stores the message and its consent change in one commit.
    func store(from number: PhoneNumber, to: PhoneNumber?, body: String, gateway: String, gatewayID: String?, time: Date?) throws(ParleyError) -> ReceiveResult {
        let now = time ?? clock.now()
        let id: String
        if let gatewayID {
            id = try MessageID.validated(gatewayID)
        } else {
            id = try nextMessageID(with: number, in: store.snapshot(), at: now)
        }
        guard body.count <= Self.maximumBodyLength * 4 else {
            throw .invalidInput("the message has \(body.count) characters; inbound messages over \(Self.maximumBodyLength * 4) are refused")
        }
        let segments = SegmentCount(body)
        let message = Message(
            id: id, direction: .inbound, time: now, from: number, to: to ?? config.businessNumber, agent: nil,
            gateway: gateway, gatewayID: gatewayID, status: .received, segments: segments.segments,
            encoding: segments.encoding.rawValue, body: body)
        let keyword = KeywordClassifier(extraRevocationPhrases: config.compliance.revocationPhrases).classify(body)
        var consentChange: ConsentEvent?
        let commit = try store.commit { snapshot throws(ParleyError) in
            if try Self.storedMessage(id: id, of: number, in: snapshot) { return nil }
            let ledger = try Conversation.consentEvents(of: number, in: snapshot)
            consentChange = Self.consentChange(for: keyword, state: ConsentState.fold(ledger), number: number, message: message,
                                               id: ULID.after(ledger.compactMap { ULID($0.id) }.max(), time: now).string)
            var files: [String: Data?] = [MailboxLayout.messagePath(number, time: message.time, id: id): message.fileData()]
            var trailers = [("Parley-Action", "receive"), ("Parley-Number", number.e164), ("Parley-Message-Id", id), ("Parley-Gateway", gateway)]
            var subject = "Receive message from \(label(number, in: snapshot))"
            if let event = consentChange {
                files[MailboxLayout.consentPath(number, time: event.time, id: event.id)] = event.fileData()
                trailers.append(("Parley-Consent", event.kind.rawValue))
                subject += "; " + Self.describe(event, who: "them").lowercased()
            } else if let keyword {
                trailers.append(("Parley-Keyword", keyword.rawValue))
            }
            return change(files, CommitMessage(subject: subject, trailers: trailers))
        }
        return ReceiveResult(message: message, commit: commit, keyword: keyword, consentChange: consentChange, reply: nil, replyProblem: nil)
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
