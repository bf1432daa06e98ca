import Foundation
import ParleyCore

/// What `parley report` was asked: the period (messages, replies and closes
/// inside `[since, until)`), how to break the figures down, and one agent.
public struct ReportQuery: Sendable {
    public enum Grouping: String, CaseIterable, Sendable, Codable {
        case agent, useCase = "use-case", template, day, week
    }

    public var since: Date?
    public var until: Date?
    public var grouping: Grouping?
    /// Only what this agent sent, answered, was assigned or closed.
    public var agent: String?

    public init(since: Date? = nil, until: Date? = nil, grouping: Grouping? = nil, agent: String? = nil) {
        self.since = since
        self.until = until
        self.grouping = grouping
        self.agent = agent
    }

    func contains(_ time: Double) -> Bool {
        if let since, time < since.timeIntervalSince1970 { return false }
        if let until, time >= until.timeIntervalSince1970 { return false }
        return true
    }
}
