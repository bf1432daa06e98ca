import Foundation

/// `parley erase NUMBER` and `parley retention --apply`: removing a
/// person's records—or records past their time—from the whole history,
/// leaving a record that it happened and, for a person, a suppression
/// entry so nobody texts the number again by mistake (docs/DATA.md).
public enum Erasure {
    /// Erases everything stored about `number`; with `suppress`, nobody may
    /// text it again (a person's own request; not a retention expiry).
    public static func erase(_ number: PhoneNumber, reason: String, suppress: Bool = true, in mailbox: Mailbox) throws(ParleyError) -> ErasureRecord {
        try erase([(number, reason)], suppress: suppress, in: mailbox)[0]
    }

    /// Erases everything stored about each of `people` in one rewrite of
    /// the history, with an erasure record each (their files and commits
    /// are the rewrite's, shared): a retention run past many people costs
    /// one rewrite, not one each.
    public static func erase(_ people: [(number: PhoneNumber, reason: String)], suppress: Bool,
                             in mailbox: Mailbox) throws(ParleyError) -> [ErasureRecord] {
        guard !people.isEmpty else { return [] }
        let snapshot = try mailbox.store.snapshot()
        let (key, newKey) = try SuppressionList.key(in: snapshot)
        let now = mailbox.clock.now()
        var files: [String: Data] = newKey.map { [SuppressionList.keyPath: $0] } ?? [:]
        var records: [ErasureRecord] = [], scopes: [ErasureScope] = [], id: ULID?
        for person in people {
            let hash = SuppressionList.hash(person.number, key: key)
            id = ULID.after(id, time: now)
            let record = ErasureRecord(id: id!.string, kind: .number, time: now, by: mailbox.agent.handle, reason: try checked(person.reason),
                                       numberHash: hash)
            if suppress {
                let entry = SuppressionList.Entry(hash: hash, since: record.time, erasure: record.id)
                files[SuppressionList.path(hash: hash)] = SuppressionList.fileData(entry)
            }
            records.append(record)
            scopes.append(try ErasureScope.number(person.number, in: snapshot))
        }
        // Scrubbed in the records' order (their ids increase): a clone that lacks them applies them in the order of their file names.
        try run(ErasureScope.joint(scopes), records: &records, in: mailbox, extraFiles: files)
        return records
    }

    /// Erases every message (and its receipts) from before `cutoff`.
    public static func eraseMessages(before cutoff: Date, reason: String, in mailbox: Mailbox) throws(ParleyError) -> ErasureRecord {
        var records = [ErasureRecord(id: ULID(time: mailbox.clock.now()).string, kind: .messages, time: mailbox.clock.now(),
                                     by: mailbox.agent.handle, reason: try checked(reason), messagesBefore: cutoff)]
        try run(try ErasureScope.messages(before: cutoff, in: mailbox.store.snapshot()), records: &records, in: mailbox, extraFiles: [:])
        return records[0]
    }

    private static func run(_ scope: ErasureScope, records: inout [ErasureRecord], in mailbox: Mailbox,
                            extraFiles: [String: Data]) throws(ParleyError) {
        // A reason that names the person ("as +13125550147 asked") must not keep what is erased.
        for index in records.indices { records[index].reason = scope.scrubbed(records[index].reason) }
        var written = records
        _ = try mailbox.store.erase(scope) { tally throws(ParleyError) in
            var files: [String: Data?] = [:]
            for index in written.indices {
                written[index].filesRemoved = tally.filesRemoved
                written[index].commitsRewritten = tally.commitsRewritten
                files[written[index].path] = written[index].fileData()
            }
            for (path, data) in extraFiles { files[path] = data }
            let subject = written[0].kind == .messages ? "Erase messages past their retention time"
                : written.count == 1 ? "Erase one person's records" : "Erase \(written.count) people's records"
            return StoreChange(files: files, message: CommitMessage(
                subject: "\(subject) (\(tally.filesRemoved) files, \(tally.commitsRewritten) commits rewritten)",
                body: written.map { "Reason: \($0.reason)" }.joined(separator: "\n"), action: .erase,
                trailers: written.map { (.erasure, $0.id) }).text,
                author: mailbox.agent, time: written[0].time)
        }
        records = written
    }

    private static func checked(_ reason: String) throws(ParleyError) -> String {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw .invalidInput("say why with --reason TEXT: the erasure record keeps it") }
        return reason
    }
}
