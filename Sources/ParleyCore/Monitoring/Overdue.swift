import Foundation

/// A customer waiting longer than their conversation's target: the first
/// reply's target while nobody has answered since the conversation opened
/// (or was last closed), the reply target after that. Business time, like
/// the report (docs/REPORTS.md).
public struct Overdue: Codable, Sendable, Equatable {
    public enum Measure: String, Codable, Sendable {
        case firstReply = "first_reply", reply
    }

    public let measure: Measure
    /// The target, in business seconds.
    public let target: TimeInterval
    /// How long the customer has waited so far, in business seconds.
    public let waited: TimeInterval
    /// When the wait began.
    public let since: Date
    public let useCase: String?

    /// The breach of `summary` at `now`, nil when the customer is not
    /// waiting or is still within target.
    public static func check(_ summary: ConversationSummary, now: Date, settings: MonitoringSettings, clock: BusinessClock) -> Overdue? {
        // A snoozed conversation waits on the customer, not on us.
        guard summary.state.isOpen, summary.consent.status != .optedOut, !summary.state.isSnoozed(at: now),
              let waiting = summary.waiting, waiting.party == .customer else { return nil }
        let answered = summary.lastOutboundAt.map { outbound in summary.lastClosedAt.map { outbound > $0 } ?? true } ?? false
        let measure: Measure = answered ? .reply : .firstReply
        let targets = settings.targets(for: summary.state.useCase)
        guard let target = answered ? targets.response : targets.firstResponse else { return nil }
        let waited = clock.duration(from: waiting.since, to: now)
        guard waited > target else { return nil }
        return Overdue(measure: measure, target: target, waited: waited, since: waiting.since, useCase: summary.state.useCase)
    }
}
