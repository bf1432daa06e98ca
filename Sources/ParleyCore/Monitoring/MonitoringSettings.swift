import Foundation

/// The `parley.yaml` settings monitoring and reports read: business hours
/// and the use cases with their targets and outcomes. A mailbox written
/// before they existed gets Monday–Friday 09:00–17:00 and the four default
/// use cases.
public struct MonitoringSettings: Equatable, Sendable {
    public var businessHours: BusinessHours
    public var useCases: [UseCase]

    public init(businessHours: BusinessHours = .standard, useCases: [UseCase] = UseCase.defaults) {
        self.businessHours = businessHours
        self.useCases = useCases
    }

    public func useCase(named name: String) -> UseCase? { useCases.first { $0.name == name } }

    /// The targets a conversation of `useCase` is held to. One without a use
    /// case (or with one no longer listed) is held to the strictest of each,
    /// so nobody waits unseen because nobody classified their conversation.
    public func targets(for useCase: String?) -> (firstResponse: TimeInterval?, response: TimeInterval?, resolution: TimeInterval?) {
        if let found = useCase.flatMap(self.useCase(named:)) { return (found.firstResponse, found.response, found.resolution) }
        return (useCases.compactMap(\.firstResponse).min(), useCases.compactMap(\.response).min(), useCases.compactMap(\.resolution).min())
    }

    /// The use cases that list `outcome`.
    public func useCases(withOutcome outcome: String) -> [UseCase] { useCases.filter { $0.outcomes.contains(outcome) } }

    static func parse(_ fields: YAMLFields) throws(ParleyError) -> MonitoringSettings {
        MonitoringSettings(
            businessHours: try BusinessHours.parse(fields.nested("business_hours")),
            useCases: try UseCase.parseList(fields.nestedList("use_cases"), present: fields.has("use_cases")))
    }

    func write(into yaml: inout YAMLWriter) {
        businessHours.write(into: &yaml)
        yaml.blankLine()
        UseCase.write(useCases, into: &yaml)
    }
}
