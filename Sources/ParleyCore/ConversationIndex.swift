import Foundation

/// Lists every conversation's summary. Summaries are cached beside the
/// repository keyed by each conversation directory's content id (a Git
/// tree id), so only conversations that changed since the last run are
/// read again; the cache can never be stale, only incomplete.
public struct ConversationIndex {
    static let cacheName = "summaries-v2.json"

    /// Summaries of all conversations, and the problems of those that could not be read.
    public struct Scan: Sendable {
        public let summaries: [ConversationSummary]
        public let problems: [ParleyError]
    }

    public static func scan(_ snapshot: any StoreSnapshot, store: any MailboxStore) throws(ParleyError) -> Scan {
        let cached = store.loadCache(named: cacheName).flatMap { try? JSONDecoder().decode([String: ConversationSummary].self, from: $0) } ?? [:]
        var fresh: [String: ConversationSummary] = [:]
        var summaries: [ConversationSummary] = []
        var problems: [ParleyError] = []
        let root = MailboxLayout.conversationsDirectory
        for bucket in try snapshot.list(root) ?? [] where bucket.isDirectory {
            for entry in try snapshot.list("\(root)/\(bucket.name)") ?? [] {
                let path = "\(root)/\(bucket.name)/\(entry.name)"
                guard entry.isDirectory, let number = PhoneNumber(e164: entry.name), String(entry.name.suffix(2)) == bucket.name else {
                    problems.append(.malformed(FormatIssue(path: path, line: nil, problem: "not a conversation folder: expected conversations/NN/+E164 where NN are the number's last two digits")))
                    continue
                }
                if let key = entry.contentID, let summary = cached[key] {
                    fresh[key] = summary
                    summaries.append(summary)
                    continue
                }
                do {
                    guard let summary = try ConversationSummary.load(number, from: snapshot) else { continue }
                    if let key = entry.contentID { fresh[key] = summary }
                    summaries.append(summary)
                } catch {
                    problems.append(error)
                }
            }
        }
        if fresh.count != cached.count || fresh.keys.contains(where: { cached[$0] == nil }) {
            if let data = try? JSONEncoder().encode(fresh) { store.saveCache(named: cacheName, data) }
        }
        return Scan(summaries: summaries, problems: problems)
    }
}
