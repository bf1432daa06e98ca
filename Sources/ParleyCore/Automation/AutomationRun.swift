import Foundation

/// What an automation acts on: the customer's text that triggered it, the
/// appointment it texts ahead of, or the close it follows. Its id names the
/// decision (one per automation and subject).
public enum AutomationSubject: Sendable {
    case inbound(Message)
    case appointment(AppointmentRecord)
    case close(ConversationEvent)

    public var id: String {
        switch self {
        case .inbound(let message): message.id
        case .appointment(let appointment): appointment.id
        case .close(let event): event.id
        }
    }

    /// When the automation texts for it: on arrival, `before` ahead of the appointment, `after` the close.
    public func due(for automation: Automation) -> Date {
        switch self {
        case .inbound(let message): message.time
        case .appointment(let appointment): appointment.time - (automation.before ?? 0)
        case .close(let event): event.time + automation.after
        }
    }

    /// What its template can say beyond the contact and the business: an
    /// appointment's `date` and `time` (in the business's zone), a close's
    /// `outcome`; `agent_name` is the business, as no person writes it.
    public func templateValues(config: MailboxConfig) -> [String: String] {
        var values = ["agent_name": config.businessName]
        switch self {
        case .appointment(let appointment):
            let zone = TimeZone(identifier: config.timeZone) ?? TimeZone(identifier: "UTC")!
            values["date"] = Self.format(appointment.time, "EEEE d MMMM", zone)
            values["time"] = Self.format(appointment.time, "h:mm a", zone).lowercased()
        case .close(let event):
            if let outcome = event.outcome { values["outcome"] = outcome }
        case .inbound:
            break
        }
        return values
    }

    private static func format(_ time: Date, _ pattern: String, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter.string(from: time)
    }

    /// The use case of what it acts on, when it says.
    var useCase: String? {
        switch self {
        case .inbound: nil
        case .appointment(let appointment): appointment.useCase
        case .close(let event): event.useCase
        }
    }
}

/// One automation's decision for one subject, as a command or the server reports it.
public struct AutomationRun: Sendable {
    public enum Decision: Sendable {
        /// Texted (the result holds the message and its receipt).
        case sent(SendResult)
        /// In the randomized holdout: recorded, not texted.
        case heldOut
        /// A customer's answer was read: the outcome or rating, or nil when it was left to a person.
        case answered(String?)
        /// Decided before, or a text for it is in the outbox (held for approval, or in doubt): nothing more to do.
        case alreadyDone(String)
        /// A limit of the automation said no (once per customer, a customer waiting for a person).
        case limited(String)
        /// The compliance gate refused the text (the rule, its facts and the way out).
        case refused(String)
        /// The gateway gave no answer: the text may have gone. The outbox holds it as in doubt for
        /// `parley outbox reconcile`, and no run sends it again; never a failure.
        case inDoubt(String)
        /// It could not be done (a template variable with no value, a gateway that failed before sending).
        case failed(ParleyError)
    }

    public let automation: String
    public let number: PhoneNumber
    public let subject: String
    public let decision: Decision

    /// One line for a person or the server's log (never a message body).
    public var summary: String {
        let what: String
        switch decision {
        case .sent(let result): what = "sent \(result.message.id) (\(result.status.rawValue))"
        case .heldOut: what = "held out (randomized holdout)"
        case .answered(let answer): what = answer.map { "answer read as \($0)" } ?? "answer left to a person"
        case .alreadyDone(let why): what = "already done: \(why)"
        case .limited(let why): what = "not sent: \(why)"
        case .refused(let why): what = "refused by the gate: \(why)"
        case .inDoubt(let why): what = "in doubt: \(why)"
        case .failed(let error): what = "failed: \(error)"
        }
        return "\(automation) → \(number.e164) (\(subject)): \(what)"
    }

    /// The decision's name, for JSON and metrics.
    public var outcome: String {
        switch decision {
        case .sent: "sent"
        case .heldOut: "held_out"
        case .answered(let answer): answer == nil ? "to_person" : "answered"
        case .alreadyDone: "already_done"
        case .limited: "limited"
        case .refused: "refused"
        case .inDoubt: "in_doubt"
        case .failed: "failed"
        }
    }
}
