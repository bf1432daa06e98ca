import Foundation

/// What carriers do with the texts once sent: each error code's class, the
/// numbers a permanent error marks unreachable, and the lines that pause
/// themselves when too many of their latest sends fail or are filtered.
public struct Deliverability: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// One of a line's sends as the derived index knows it, with its latest status.
    public struct LineSend: Sendable, Equatable {
        public let messageID: String
        public let time: Date
        public let status: DeliveryStatus
        public let errorCode: String?
        public let gateway: String
        public let template: String?

        public init(messageID: String, time: Date, status: DeliveryStatus, errorCode: String?, gateway: String, template: String?) {
            self.messageID = messageID
            self.time = time
            self.status = status
            self.errorCode = errorCode
            self.gateway = gateway
            self.template = template
        }

        public var failed: Bool { status == .failed || status == .undelivered }
    }

    /// The class of a failed delivery's error code; nil for a success or a code no table knows.
    public func classify(_ record: DeliveryRecord) -> CarrierErrorClass? {
        guard record.status == .failed || record.status == .undelivered else { return nil }
        return config.deliverability.carrierErrors.classify(record.errorCode, provider: record.gateway)
    }

    /// The event marking `number` unreachable after a permanent error in
    /// `record`, as of `time` (when it was heard, never later: a simulated
    /// receipt may be dated ahead); nil when the error is not permanent or the number is marked already.
    func unreachableEvent(_ number: PhoneNumber, after record: DeliveryRecord, at time: Date, state: ConversationState?,
                          lastEventID: String?) -> ConversationEvent? {
        guard let kind = classify(record), kind.isPermanent, state?.unreachable == nil else { return nil }
        let time = min(time, record.time)
        return ConversationEvent(id: ULID.after(lastEventID.flatMap(ULID.init), time: time).string, kind: .unreachable, time: time,
                                 by: Agent.systemHandle, note: "\(record.gateway) error \(record.errorCode ?? "?"): \(kind.explanation)"
                                     + " (message \(record.messageID))")
    }

    /// Why `sends` (a line's latest, newest first) pause it, or nil: the
    /// share of the latest `pauseWindow` that failed reaches `pauseShare`.
    public func pauseReason(_ sends: [LineSend]) -> String? {
        let window = config.deliverability.pauseWindow
        guard sends.count >= window else { return nil }
        let judged = sends.prefix(window)
        let failed = judged.filter(\.failed)
        guard Double(failed.count) / Double(window) >= config.deliverability.pauseShare else { return nil }
        let filtered = failed.filter { config.deliverability.carrierErrors.classify($0.errorCode, provider: $0.gateway) == .filtered }
        let codes = Set(failed.compactMap(\.errorCode)).sorted().joined(separator: ", ")
        return "\(failed.count) of its last \(window) sends failed" + (filtered.isEmpty ? "" : " (\(filtered.count) filtered by carriers)")
            + (codes.isEmpty ? "" : "; errors \(codes)") + "; the threshold is \(Int((config.deliverability.pauseShare * 100).rounded()))%"
    }

    /// Judges `line` on its sends since it last resumed and pauses it when
    /// they cross the threshold. Returns the pause it made, nil otherwise.
    @discardableResult
    public func review(_ line: SenderLine) throws(ParleyError) -> LineEvent? {
        let snapshot = try store.snapshot()
        let events = try mailbox.lines.events(of: line, in: snapshot)
        guard events.last?.kind != .pause else { return nil }
        let since = events.last(where: { $0.kind == .resume })?.time
        let sends = try store.index().lineSends(line.number, since: since, limit: config.deliverability.pauseWindow, at: snapshot)
        guard let reason = pauseReason(sends) else { return nil }
        guard try mailbox.lines.pause(line, reason: reason, by: Agent.systemHandle) != nil else { return nil }
        return try mailbox.lines.pause(of: line)
    }
}
