import Foundation
import ParleyCore

/// The server's readiness for `GET /healthz`: it can store what arrives
/// (the repository's Git directory is writable) and, when it syncs, its
/// last successful sync is recent (within three intervals). A probe gets
/// 200 and `ok` first, or 503 and the reasons, one per line.
public final class ServerHealth: Sendable {
    /// The Git directory commits are written into; nil skips the check (in-memory stores).
    let gitDirectory: String?
    let syncInterval: TimeInterval
    /// The server's clock: sync ages are measured by it.
    let clock: ParleyClock
    let started: Date
    private let lock = NSLock()
    nonisolated(unsafe) private var lastSyncTime: Date?

    public init(gitDirectory: String?, syncInterval: TimeInterval, clock: ParleyClock = .system) {
        self.gitDirectory = gitDirectory
        self.syncInterval = syncInterval
        self.clock = clock
        started = clock.now()
    }

    public var lastSync: Date? { lock.withLock { lastSyncTime } }

    /// Records a sync that succeeded at `time` (default: now, by the clock).
    public func syncSucceeded(at time: Date? = nil) { lock.withLock { lastSyncTime = time ?? clock.now() } }

    /// Whether the server is ready, and the lines saying why (or why not).
    public func report(now given: Date? = nil) -> (ready: Bool, lines: [String]) {
        let now = given ?? clock.now()
        var problems: [String] = []
        var facts: [String] = []
        if let gitDirectory {
            if Self.canWrite(in: gitDirectory) {
                facts.append("repository: writable")
            } else {
                problems.append("repository: cannot write in \(gitDirectory) (permissions, a read-only or full disk)")
            }
        }
        if syncInterval > 0 {
            let reference = lastSync ?? started
            let age = Int(now.timeIntervalSince(reference))
            let said = lastSync == nil ? "no sync yet (started \(age) s ago)" : "last sync \(age) s ago"
            if now.timeIntervalSince(reference) > 3 * syncInterval {
                problems.append("sync: \(said), every \(Int(syncInterval)) s: the hub is unreachable or refusing")
            } else {
                facts.append("sync: \(said), every \(Int(syncInterval)) s")
            }
        } else {
            facts.append("sync: off")
        }
        return problems.isEmpty ? (true, ["ok"] + facts) : (false, ["not ready"] + problems + facts)
    }

    /// Creates and removes a file: the honest test that commits can be written.
    static func canWrite(in directory: String) -> Bool {
        let probe = directory + "/parley-health-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8)) else { return false }
        return (try? FileManager.default.removeItem(atPath: probe)) != nil
    }
}
