import Foundation
import ParleyCore

/// `parley report evaluation`: does texting go with better outcomes? It
/// compares the rate of one outcome (no-shows, say) between appointments
/// whose customer had a conversation in the days before and those whose
/// customer did not, and across how fast we answered them—each rate with
/// its count and 95% Wilson interval, the difference with its own interval
/// and a two-sided test, and a verdict that says plainly when the numbers
/// are too few or too close to conclude, and how many would be enough. An
/// observational comparison—who gets texted is not chance—so an
/// association, not proof that texting caused it; the verdict says so.
public struct OutcomeEvaluation: Codable, Sendable {
    public struct Query: Sendable {
        public var useCase = "appointments"
        public var outcome = "no-show"
        /// How many days before an appointment a message counts.
        public var days = 7
        /// Appointments from/until these times.
        public var since: Date?
        public var until: Date?

        public init() {}
    }

    public struct Group: Codable, Sendable {
        public let label: String
        public let appointments: Int
        public let withOutcome: Int
        public let rate: Double?
        public let interval: WilsonInterval?

        init(label: String, outcomes: [Bool]) {
            self.label = label
            appointments = outcomes.count
            withOutcome = outcomes.filter { $0 }.count
            rate = outcomes.isEmpty ? nil : Double(withOutcome) / Double(appointments)
            interval = WilsonInterval(successes: withOutcome, trials: appointments)
        }
    }

    /// An automation's randomized holdout: appointments it texted against
    /// those it held out by the keyed hash. Both groups passed the send gate
    /// before the draw, so they differ by chance alone, and a difference is
    /// evidence of the texts' effect.
    public struct Randomized: Codable, Sendable {
        public let automation: String
        /// The share the automation holds out now (nil: it no longer declares a holdout).
        public let share: Double?
        public let texted: Group
        public let heldOut: Group
        /// Texted minus held out.
        public let difference: ProportionComparison?
        public let verdict: String
    }

    public let useCase: String
    public let outcome: String
    public let days: Int
    /// Texted in the days before, and not.
    public let comparison: [Group]
    /// Their difference, its interval and test, and the groups a study would need.
    public let difference: ProportionComparison?
    /// Texted appointments by how fast we answered the customer's last message before it.
    public let bands: [Group]
    public let verdict: String
    /// Each automation's holdout comparison, for appointments it decided on.
    public var randomized: [Randomized] = []

    /// Fewer than this many appointments in a group is too few to compare.
    public static let minimumGroup = 30
}
