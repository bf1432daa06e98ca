import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore
import ParleyRendering

/// Tells the team when a customer goes past their response target: one
/// message per breach to the team's incoming webhook (`AlertPoster`). A
/// breach is one wait of one customer; it is announced once, even across
/// restarts (the announced ones are kept beside the index), and forgotten
/// when the wait ends. A post that fails is tried again at the next check.
public final class OverdueAlerts: @unchecked Sendable {
    private let mailbox: Mailbox
    private let poster: AlertPoster
    private let statePath: String?
    private let lock = NSLock()
    private var announced: Set<String>

    public init(mailbox: Mailbox, poster: AlertPoster, statePath: String?) {
        self.mailbox = mailbox
        self.poster = poster
        self.statePath = statePath
        announced = Set(statePath.flatMap { FileManager.default.contents(atPath: $0) }.flatMap { try? JSONDecoder().decode([String].self,
            from: $0) } ?? [])
    }

    /// Where alerts go, for logs: the host only.
    public var destination: String { poster.destination }

    /// Announces every breach not announced yet; says what it did.
    public func check() async throws -> String {
        let overdue = try mailbox.conversations.inbox(InboxFilter(onlyOverdue: true)).entries
        let current = Set(overdue.map(Self.key))
        let fresh = lock.withLock { overdue.filter { !announced.contains(Self.key($0)) } }
        var posted = 0, failed: [String] = []
        for entry in fresh {
            do {
                try await poster.post(Self.message(for: entry, business: mailbox.config.businessName))
                lock.withLock { _ = announced.insert(Self.key(entry)) }
                posted += 1
            } catch {
                failed.append("\(error)")
            }
        }
        // A wait that ended is forgotten: the next one is a new breach.
        let snapshot = lock.withLock { announced.formIntersection(current); return announced.sorted() }
        if let statePath { try? JSONEncoder().encode(snapshot).write(to: URL(fileURLWithPath: statePath), options: .atomic) }
        guard failed.isEmpty else {
            throw ParleyError.gateway("\(failed.count) overdue alert(s) to \(destination) failed, tried again next time: \(failed[0])")
        }
        return "\(overdue.count) overdue, \(posted) announced"
    }

    static func key(_ entry: InboxEntry) -> String {
        "\(entry.summary.number.e164) \(entry.overdue?.measure.rawValue ?? "") \(Timestamp.format(entry.overdue?.since ?? entry.since))"
    }

    /// One line a person can act on: who, how long against which target, whose, and the command to open it.
    static func message(for entry: InboxEntry, business: String) -> String {
        let summary = entry.summary
        guard let overdue = entry.overdue else { return "" }
        let who = summary.name.map { "\($0) (\(summary.number.formatted))" } ?? summary.number.formatted
        let what = overdue.measure == .firstReply ? "a first reply" : "a reply"
        return "\(business): \(who) has waited \(DurationText.short(Int(overdue.waited))) of business time for \(what) "
            + "(target \(DurationText.short(Int(overdue.target))))"
            + (overdue.useCase.map { " · \($0)" } ?? "") + " · " + (summary.state.assignee.map { "assigned to \($0)" } ?? "unassigned")
            + " · parley thread \(summary.number.e164)"
    }
}
