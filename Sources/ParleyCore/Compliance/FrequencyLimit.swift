import Foundation

/// State laws limiting how often a business may text one person on one
/// subject (docs/COMPLIANCE.md, "Frequency"): Florida, Oklahoma and
/// Maryland allow at most three texts in 24 hours. Parley takes a
/// conversation's use case as its subject.
public enum FrequencyLimit {
    public struct StateRule: Sendable {
        public let maximum: Int
        public let window: TimeInterval
        public let law: String
    }

    public static let states: [String: StateRule] = [
        "FL": StateRule(maximum: 3, window: 86_400, law: "Florida Telephone Solicitation Act, Fla. Stat. § 501.059(8)(a)"),
        "OK": StateRule(maximum: 3, window: 86_400, law: "Oklahoma Telephone Solicitation Act, 15 O.S. § 775C.4(B)"),
        "MD": StateRule(maximum: 3, window: 86_400, law: "Maryland Stop the Spam Calls Act, Md. Code, Com. Law § 14-4503(a)(2)"),
    ]

    /// The fewest texts any state allows, over the longest window: below them no state's limit can refuse.
    static let lowestMaximum = states.values.map(\.maximum).min() ?? 0
    static let longestWindow = states.values.map(\.window).max() ?? 0

    /// One earlier text to the number: when, and the conversation's use case then.
    public struct Send: Sendable, Equatable {
        public let time: Date
        public let subject: String?

        public init(time: Date, subject: String?) {
            self.time = time
            self.subject = subject
        }
    }

    /// The texts to a number by people and automations (not the automatic
    /// keyword replies, which the law requires), each with the use case the
    /// conversation had when it went: the one reading of history the send
    /// and the audit share.
    public static func sends(times: [(time: Date, agent: String?)], events: [ConversationEvent]) -> [Send] {
        var subjects = Subjects(events)
        return times.sorted { $0.time < $1.time }.compactMap { sent in
            let subject = subjects.at(sent.time)
            return sent.agent == Agent.systemHandle ? nil : Send(time: sent.time, subject: subject)
        }
    }

    /// A conversation's use case—the subject—as it stood at each moment,
    /// read forward once in time order. A change at the very moment counts:
    /// the send that opens a conversation writes its use case then.
    public struct Subjects: Sendable {
        private let changes: [ConversationEvent]
        private var next = 0
        private var current: String?

        public init(_ events: [ConversationEvent]) {
            changes = events.filter { $0.useCase != nil && ($0.kind == .useCase || $0.kind == .close) }
                .sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        }

        /// The subject at `date`; dates must not go back.
        public mutating func at(_ date: Date) -> String? {
            while next < changes.count, changes[next].time <= date {
                current = changes[next].useCase
                next += 1
            }
            return current
        }
    }

    /// The earlier sends on `subject` within the window before `time`.
    public static func recent(_ sends: [Send], subject: String?, before time: Date, window: TimeInterval) -> [Date] {
        sends.filter { $0.subject == subject && $0.time < time && time.timeIntervalSince($0.time) < window }.map(\.time)
    }
}
