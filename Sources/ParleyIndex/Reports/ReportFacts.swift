import Foundation
import ParleyCore

/// What a report counts, in instants (seconds since 1970), once the
/// conversations were walked (`ConversationTimeline`). Grouping, the
/// period and business time are applied afterwards (`ReportBuilder`).
struct ReportFacts {
    struct MessageFact {
        let number: String
        let time: Double
        let inbound: Bool
        /// The sender for an outbound message; for an inbound one, whom the
        /// conversation was assigned to when it arrived.
        let agent: String
        /// Its own template when outbound; the template of the message it
        /// answers when inbound.
        let template: String?
        let status: DeliveryStatus
        let errorCode: String?
        let price: Double?
        let priceUnit: String?
        let overrides: [Override]
        /// Sent by Parley itself (a STOP/START/HELP answer), not a person.
        let automatic: Bool
        var useCase: String?
        /// For outbound: the customer wrote back before our next message.
        var replied = false
    }

    /// A customer waiting: from their first unanswered message to a
    /// person's reply, or to the close when nobody replied.
    struct WaitFact {
        let number: String
        let start, end: Double
        /// The episode's first reply.
        let first, answered: Bool
        let responder: String?
        /// The template of our message they were answering, if any.
        let template: String?
        var useCase: String?
    }

    /// A conversation from its first message (or the first since a close)
    /// to its close; `end` nil while open.
    struct EpisodeFact {
        let number: String
        let start: Double
        var end: Double?
        var useCase, outcome: String?
        /// The assignee at the close, or whoever closed it.
        var agent: String
        /// The template of our first message in it.
        var template: String?
        /// Its waits, answered or not, for the customer's total wait.
        var waits: [(start: Double, end: Double)] = []
    }

    /// An opt-out or a hold for review, laid at the door of the last message
    /// we sent before it.
    struct ReactionFact {
        let number: String
        let time: Double
        let optOut: Bool
        let template, agent, useCase: String?
    }

    var messages: [MessageFact] = []
    var waits: [WaitFact] = []
    var episodes: [EpisodeFact] = []
    var reactions: [ReactionFact] = []
}
