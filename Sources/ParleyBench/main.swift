import Foundation
import ParleyCore
import ParleyGitStore

/// parley-bench: builds a synthetic mailbox and measures what docs/BENCHMARKS.md
/// sets targets for. Run it in release mode:
///
///     swift run -c release parley-bench --conversations 10000 --messages 100000
///
/// It prints a Markdown table for docs/BENCHMARKS.md.
struct BenchOptions {
    var conversations = 10_000
    var messages = 100_000
    var commits = 1_000
    var baselineCommits = 200
    var samples = 200
    var directory: String?
    /// Which measurements to run: all, only the commit rates, webhooks, a
    /// large clone, or a year of history in the real commit pattern.
    var only: String?
    var webhooks = 5_000
    var concurrency = 64
    /// Run as the webhook benchmark's load generator against this URL.
    var load: String?
    /// `--only sync` and `--only erase`: keep the hub already generated in `--dir`.
    var reuse = false
    /// `--only sync`: the members sync through this URL (an `ssh://` one
    /// to measure SSH; keys from PARLEY_SSH_KEY and PARLEY_KNOWN_HOSTS).
    var hubURL: String?
    /// `--only webhooks`: serve this mailbox (a clone of a large one) instead of a new, empty one.
    var mailbox: String?

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            if argument == "--reuse" {
                reuse = true
                continue
            }
            let value = iterator.next() ?? ""
            switch argument {
            case "--conversations": conversations = Int(value) ?? conversations
            case "--messages": messages = Int(value) ?? messages
            case "--commits": commits = Int(value) ?? commits
            case "--baseline-commits": baselineCommits = Int(value) ?? baselineCommits
            case "--samples": samples = Int(value) ?? samples
            case "--dir": directory = value
            case "--only": only = value
            case "--webhooks": webhooks = Int(value) ?? webhooks
            case "--concurrency": concurrency = Int(value) ?? concurrency
            case "--load": load = value
            case "--hub-url": hubURL = value
            case "--mailbox": mailbox = value
            default:
                FileHandle.standardError.write(Data(("usage: parley-bench [--conversations N] [--messages N] [--commits N] [--baseline-commits N] "
                    + "[--samples N] [--dir PATH] [--reuse] [--hub-url URL] [--mailbox PATH] "
                    + "[--only commits|webhooks|signatures|ingest|clone|history|report|sync|erase] [--webhooks N] [--concurrency N]\n").utf8))
                exit(64)
            }
        }
    }
}

let options = BenchOptions(CommandLine.arguments)
if let url = options.load {
    try await LoadGenerator(baseURL: url, total: options.webhooks, concurrency: options.concurrency).run()
    exit(0)
}
let bench = try Bench(options)
try await bench.run()
