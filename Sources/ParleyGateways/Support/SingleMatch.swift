import ParleyCore

/// The in-doubt look-up for providers whose message list cannot carry
/// Parley's id: a submission counts as found only when exactly one
/// outbound message from our number to theirs was created since the
/// intent; two or more (another system texting the same person) cannot be
/// told apart, and the answer stays unknown.
enum SingleMatch {
    static func result(_ matches: [SubmissionReceipt], provider: String) -> LookupResult {
        switch matches.count {
        case 0: return .notFound
        case 1: return .found(matches[0])
        default: return .unknown("\(provider) lists \(matches.count) messages to that number since the intent; check them by hand")
        }
    }
}
