import Foundation
import ParleyCore
import ParleyGitStore

/// `--only sync`: a day's work on a team's mailbox. Two members clone the
/// hub; one writes 200 commits (`--commits`) and runs `parley sync`
/// (pushes them); the other, with a commit of its own, runs `parley sync`
/// (fetches them, merges, pushes its own). Both as whole processes, on
/// the hub `--reuse` keeps.
/// With `--hub-url`, the members clone it by its path, then sync through
/// the URL (SSH): the day is measured, not a first clone.
struct SyncBench {
    let bench: Bench
    var options: BenchOptions { bench.options }

    func run(report: (String, String) -> Void) async throws {
        let hub = try HistoryBench(bench: bench).packedHub(report: report)
        let parley = bench.parleyBinary
        let writer = bench.root + "/sync-writer", reader = bench.root + "/sync-reader"
        for path in [writer, reader] { try? FileManager.default.removeItem(atPath: path) }
        for member in [writer, reader] {
            try bench.shell([parley, "clone", hub, member])
            if let url = options.hubURL { try bench.shell(["git", "-C", member, "remote", "set-url", "origin", url]) }
        }
        let day = options.commits
        try await receive(day, into: writer, tag: "W")
        try await receive(1, into: reader, tag: "R")
        let push = try seconds { try bench.shell([parley, "sync", "--repo", writer]) }
        report("`parley sync` pushing a day's \(day) commits", String(format: "%.2f s", push))
        let fetch = try seconds { try bench.shell([parley, "sync", "--repo", reader]) }
        report("`parley sync` fetching those \(day), merging, pushing 1", String(format: "%.2f s", fetch))
        let again = try seconds { try bench.shell([parley, "sync", "--repo", writer]) }
        report("`parley sync` with nothing of its own, fetching 2", String(format: "%.2f s", again))
    }

    /// `count` commits of inbound texts, as `parley receive` writes them.
    private func receive(_ count: Int, into path: String, tag: String) async throws {
        guard let store = try GitMailboxStore.open(at: path) else { throw ParleyError.noMailbox(path) }
        let mailbox = try Mailbox.open(store: store, clock: .system, agent: bench.agent, location: path)
        for index in 0..<count {
            _ = try await mailbox.inbound.receive(from: bench.number((index * 7_919) % options.conversations), body: "A day's text \(index)",
                                                  gateway: "sandbox", gatewayID: "DAY\(tag)\(getpid())x\(index)")
        }
    }

    private func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }
}
