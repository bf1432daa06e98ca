import Foundation

/// The automatic answers to keywords: the STOP and START confirmations and
/// the HELP text. Ingest plans one in the commit that stores the keyword
/// (a `sending` outbox entry, the write-ahead intent); `submit` hands the
/// plans to the gateway once that commit is durable; the next ingest
/// commit records what the gateway said. A retried webhook finds its
/// message stored and plans nothing, so a customer is never answered twice.
public struct KeywordReplies: Sendable {
    let mailbox: Mailbox

    public init(mailbox: Mailbox) { self.mailbox = mailbox }

    /// The reply a stored keyword calls for—at most one per consent
    /// event—or nil. It is written strictly after the message it answers.
    func plan(for message: Message, keyword: KeywordClassifier.Kind?, change: ConsentEvent?, gateway: String,
              now: Date, in snapshot: any StoreSnapshot) throws(ParleyError) -> OutboxEntry? {
        let compliance = mailbox.config.compliance, business = mailbox.config.businessName
        let reply: (text: String, keyword: String)
        switch keyword {
        case .optOut? where change != nil: reply = (compliance.stopReplyText(business), "STOP")
        case .optIn? where change != nil: reply = (compliance.startReplyText(business), "START")
        case .help?: reply = (compliance.helpReplyText(business, mailbox.config.businessNumber), "HELP")
        default: return nil
        }
        let time = max(now, message.time.addingTimeInterval(0.001))
        var entry = OutboxEntry(
            id: try mailbox.nextMessageID(with: message.from, in: snapshot, at: time), to: message.from, state: .sending, created: time,
            notBefore: nil, agent: Agent.systemHandle, gateway: gateway, template: nil, templateBlob: nil, overrides: [], note: nil,
            replyTo: reply.keyword, body: reply.text)
        // The reply comes from the line the keyword went to.
        entry.from = mailbox.config.line(number: message.to)?.number
        return entry
    }

    /// Submits every planned reply at once. The consent rules are skipped
    /// on purpose: each answers the customer's own keyword.
    public func submit(_ plans: [OutboxEntry], via gateway: any Gateway) async -> [ReplyAttempt] {
        await withTaskGroup(of: ReplyAttempt.self) { group in
            for entry in plans {
                group.addTask { await submit(entry, via: gateway) }
            }
            return await group.reduce(into: []) { $0.append($1) }.sorted { $0.entry.id < $1.entry.id }
        }
    }

    private func submit(_ entry: OutboxEntry, via gateway: any Gateway) async -> ReplyAttempt {
        let submission = Submission(id: entry.id, from: entry.from ?? mailbox.config.businessNumber, to: entry.to, body: entry.body,
            segments: SegmentCount(entry.body))
        let result: ReplyAttempt.Result
        do {
            result = .submitted(try await mailbox.sending.submitRetrying(submission, via: gateway))
        } catch {
            switch error {
            case .rejected, .recipientOptedOut: result = .refused(error)
            case .unavailable, .misconfigured: result = .notSent("\(gateway.name) \(error)")
            case .ambiguous: result = .inDoubt("\(gateway.name) \(error)")
            }
        }
        return ReplyAttempt(entry: entry, gateway: gateway.name, time: max(mailbox.clock.now(), entry.created), result: result)
    }
}
