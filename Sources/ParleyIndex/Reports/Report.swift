import Foundation
import ParleyCore

/// How the team did over a period, computed from the history alone (so
/// every clone gets the same figures): the model behind `parley report`'s
/// terminal, JSON, CSV and HTML forms. Durations are seconds; the measures
/// are defined in docs/REPORTS.md.
public struct Report: Codable, Sendable {
    public struct Period: Codable, Sendable {
        public let since: Date?
        public let until: Date?
        public let timeZone: String
        public let agent: String?
    }

    /// Volume and service times of one slice (everything, an agent, a use case, a day…).
    public struct Row: Codable, Sendable {
        public let key: String
        public let messagesIn: Int
        public let messagesOut: Int
        public let conversationsOpened: Int
        public let conversationsClosed: Int
        public let firstReply: DurationStats
        public let reply: DurationStats
        public let customerWait: DurationStats
        public let resolution: DurationStats
    }

    public struct OutcomeCount: Codable, Sendable {
        public let useCase: String
        public let outcome: String
        public let count: Int
        /// Of the conversations of this use case closed in the period.
        public let rate: Double
    }

    public struct Delivery: Codable, Sendable {
        public struct ErrorCount: Codable, Sendable {
            public let code: String
            public let count: Int
        }

        public struct Cost: Codable, Sendable {
            public let unit: String
            public let amount: Double
        }

        public let sent: Int
        /// Outbound messages by their latest status.
        public let byStatus: [String: Int]
        public let topErrors: [ErrorCount]
        public let cost: [Cost]
    }

    /// How customers reacted to what one template or agent sent.
    public struct Reception: Codable, Sendable {
        public let key: String
        public let sent: Int
        public let replied: Int
        public let optOuts: Int
        public let reviews: Int
        public let replyRate: Double
        public let optOutRate: Double
        public let reviewRate: Double

        init(key: String, sent: Int, replied: Int, optOuts: Int, reviews: Int) {
            self.key = key
            self.sent = sent
            self.replied = replied
            self.optOuts = optOuts
            self.reviews = reviews
            func share(_ count: Int) -> Double { sent == 0 ? 0 : Double(count) / Double(sent) }
            replyRate = share(replied)
            optOutRate = share(optOuts)
            reviewRate = share(reviews)
        }
    }

    public struct OverrideUse: Codable, Sendable {
        public let time: Date
        public let number: String
        public let agent: String
        public let rule: String
        public let reason: String
    }

    /// Messages in and out on one business-zone day.
    public struct DayVolume: Codable, Sendable {
        public let date: String
        public let messagesIn: Int
        public let messagesOut: Int
    }

    /// How many replies took from `from` up to `to` seconds of business time.
    public struct HistogramBin: Codable, Sendable {
        public let label: String
        public let from: Double
        /// Nil for the last, open-ended bin.
        public let to: Double?
        public let firstReplies: Int
        public let replies: Int
    }

    /// A use case's targets, in business seconds, for the charts' target lines.
    public struct Targets: Codable, Sendable {
        public let useCase: String
        public let firstResponse: Double?
        public let response: Double?
        public let resolution: Double?
    }

    public let period: Period
    public let grouping: ReportQuery.Grouping?
    public let total: Row
    /// The breakdown asked for with `--by`; empty without it.
    public let rows: [Row]
    public let byAgent: [Row]
    public let byUseCase: [Row]
    public let outcomes: [OutcomeCount]
    public let delivery: Delivery
    public let templates: [Reception]
    public let agents: [Reception]
    public let overrides: [OverrideUse]
    /// Customer messages by weekday (Sunday first) and hour, in the business's zone.
    public let inboundByHourOfWeek: [[Int]]
    /// People's replies by weekday and hour.
    public let repliesByHourOfWeek: [[Int]]
    public let daily: [DayVolume]
    /// Conversations left out because a file could not be read (`path:line: problem`).
    public var unreadable: [String] = []
    /// Review before send and snoozes in the period.
    public var teamwork: Teamwork?
    /// Each line's and template's sends by what carriers made of them.
    public var deliverability: DeliverabilityReport?
    /// What the automations did, the answers they read and the satisfaction ratings.
    public var automations: AutomationReport?

    /// How the team's own checks went: texts held for a second person and
    /// how long they waited for approval (calendar time, from being held to
    /// going out), and snoozes, each of which stops a customer's wait: a
    /// snoozed conversation waits on the customer, not on us.
    public struct Teamwork: Codable, Sendable, Equatable {
        public let approved: Int
        public let approvalWaitMedian: Double?
        public let approvalWaitLongest: Double?
        /// Held texts still waiting for approval now.
        public let awaitingApproval: Int
        public let snoozes: Int
    }
    /// First replies and later replies by business time taken.
    public let replyHistogram: [HistogramBin]
    public let targets: [Targets]
}
