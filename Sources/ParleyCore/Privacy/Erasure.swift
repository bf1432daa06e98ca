import Foundation

/// `parley erase NUMBER` and `parley retention --apply`: removing a
/// person's records—or records past their time—from the whole history,
/// leaving a record that it happened and, for a person, a suppression
/// entry so nobody texts the number again by mistake (docs/DATA.md).
public enum Erasure {
    /// Erases everything stored about `number`; with `suppress`, nobody may
    /// text it again (a person's own request; not a retention expiry).
    public static func erase(_ number: PhoneNumber, reason: String, suppress: Bool = true, in mailbox: Mailbox) throws(ParleyError) -> ErasureRecord {
        let reason = try checked(reason)
        let snapshot = try mailbox.store.snapshot()
        let (key, newKey) = try SuppressionList.key(in: snapshot)
        let hash = SuppressionList.hash(number, key: key)
        var record = ErasureRecord(id: ULID(time: mailbox.clock.now()).string, kind: .number, time: mailbox.clock.now(), by: mailbox.agent.handle,
                                   reason: reason, numberHash: hash)
        var files: [String: Data] = newKey.map { [SuppressionList.keyPath: $0] } ?? [:]
        if suppress {
            let entry = SuppressionList.Entry(hash: hash, since: record.time, erasure: record.id)
            files[SuppressionList.path(hash: hash)] = SuppressionList.fileData(entry)
        }
        try run(try ErasureScope.number(number, in: snapshot), record: &record, in: mailbox, extraFiles: files)
        return record
    }

    /// Erases every message (and its receipts) from before `cutoff`.
    public static func eraseMessages(before cutoff: Date, reason: String, in mailbox: Mailbox) throws(ParleyError) -> ErasureRecord {
        var record = ErasureRecord(id: ULID(time: mailbox.clock.now()).string, kind: .messages, time: mailbox.clock.now(),
                                   by: mailbox.agent.handle, reason: try checked(reason), messagesBefore: cutoff)
        try run(try ErasureScope.messages(before: cutoff, in: mailbox.store.snapshot()), record: &record, in: mailbox, extraFiles: [:])
        return record
    }

    private static func run(_ scope: ErasureScope, record: inout ErasureRecord, in mailbox: Mailbox, extraFiles: [String: Data]) throws(ParleyError) {
        // A reason that names the person ("as +13125550147 asked") must not keep what is erased.
        record.reason = scope.scrubbed(record.reason)
        var written = record
        _ = try mailbox.store.erase(scope) { tally throws(ParleyError) in
            written.filesRemoved = tally.filesRemoved
            written.commitsRewritten = tally.commitsRewritten
            var files: [String: Data?] = [written.path: written.fileData()]
            for (path, data) in extraFiles { files[path] = data }
            let subject = written.kind == .number ? "Erase one person's records" : "Erase messages past their retention time"
            return StoreChange(files: files, message: CommitMessage(
                subject: "\(subject) (\(tally.filesRemoved) files, \(tally.commitsRewritten) commits rewritten)",
                body: "Reason: \(written.reason)", action: .erase, trailers: [(.erasure, written.id)]).text,
                author: mailbox.agent, time: written.time)
        }
        record = written
    }

    private static func checked(_ reason: String) throws(ParleyError) -> String {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw .invalidInput("say why with --reason TEXT: the erasure record keeps it") }
        return reason
    }
}
