import Foundation

/// The `deliverability:` section of `parley.yaml`: when a line pauses
/// itself, and the carrier error codes the business adds to Parley's tables.
public struct DeliverabilityPolicy: Equatable, Sendable {
    /// How many of a line's latest sends are judged.
    public var pauseWindow = 20
    /// The share of them failed or filtered at which the line pauses.
    public var pauseShare = 0.25
    public var carrierErrors = CarrierErrors()

    public init() {}

    static func parse(_ fields: YAMLFields?) throws(ParleyError) -> DeliverabilityPolicy {
        var policy = DeliverabilityPolicy()
        guard let fields else { return policy }
        if let window = try fields.int("pause_window") {
            guard (2...10_000).contains(window) else { throw fields.problem("pause_window", "'pause_window' must be between 2 and 10000 sends") }
            policy.pauseWindow = window
        }
        if let share = try fields.share("pause_share", in: 0.01...1) { policy.pauseShare = share }
        policy.carrierErrors = try CarrierErrors.parse(fields.nested("carrier_errors"))
        return policy
    }
}
