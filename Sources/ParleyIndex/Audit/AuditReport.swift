import Foundation
import Synchronization
import ParleyCore

/// What `parley audit` found over a period: the findings, the overrides
/// and how much it checked, so a clean result says what it covered.
public struct AuditReport: Sendable, Codable {
    public struct Counts: Sendable, Codable, Equatable {
        public var commits = 0
        public var outbound = 0
        public var automaticReplies = 0
        /// Recorded from other systems (`parley import`): not sent or gated by Parley, so not judged.
        public var automated = 0
        public var inbound = 0
        public var optOuts = 0
        public var receipts = 0
        public var unattributedCommits = 0
    }

    public let since: Date?
    public let until: Date?
    /// The business's zone, in which people read the times.
    public let timeZone: String
    /// The rules version this Parley applies (`Parley-Rules`).
    public let rulesVersion: String
    /// How many sends in the whole history recorded each rules version; any
    /// other than the current one was replayed under the current rules.
    public var rulesRecorded: [String: Int] = [:]
    public var counts = Counts()
    public var findings: [AuditFinding] = []
    public var overrides: [AuditOverride] = []
    /// Conversations whose files could not be read (`path:line: problem`).
    public var unreadable: [String] = []

    public init(since: Date?, until: Date?, timeZone: String, rulesVersion: String) {
        self.since = since
        self.until = until
        self.timeZone = timeZone
        self.rulesVersion = rulesVersion
    }

    public var isClean: Bool { findings.isEmpty && unreadable.isEmpty }

    /// Findings per rule, every rule listed.
    public var findingsByRule: [(AuditFinding.Rule, Int)] {
        AuditFinding.Rule.allCases.map { rule in (rule, findings.count { $0.rule == rule }) }
    }

    /// A time as people at the business read it: "2026-03-12 21:14".
    public func local(_ time: Date) -> String {
        String(Timestamp.format(time, in: zone).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    private var zone: TimeZone { Self.zones.withLock { $0[timeZone] } ?? Self.zone(named: timeZone) }

    /// Zones by name: looking one up goes through ICU, and a report shows thousands of times.
    private static let zones = Mutex<[String: TimeZone]>([:])

    private static func zone(named name: String) -> TimeZone {
        let zone = TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")!
        zones.withLock { $0[name] = zone }
        return zone
    }

    func covers(_ time: Date) -> Bool {
        (since.map { time >= $0 } ?? true) && (until.map { time < $0 } ?? true)
    }
}
