import Foundation
import GRDB
import ParleyCore

/// The index's second half: every message (with its text and its delivery
/// outcome), receipt, triage event and consent record of a conversation,
/// for search and reports. The inbox does not need them, so they are read
/// only when search or a report asks, and only for conversations whose
/// tree changed since: the first search or report after many changes pays
/// for them, not every inbox. Search asks only for the texts (messages and
/// notes, `searched_id`); a report for everything (`detailed_id`), which
/// then reads the rest.
extension IndexUpdater {
    func catchUpDetails(_ depth: MailboxIndex.Details) throws {
        let texts = depth == .texts
        let stale = try Row.fetchAll(db, sql: """
            SELECT number, content_id, content_id IS NOT NULL AND searched_id IS content_id AS searched FROM conversations
            WHERE (content_id IS NULL OR \(texts ? "searched_id" : "detailed_id") IS NOT content_id) AND summary IS NOT NULL
            """)
        let readers = stale.count >= ParallelReads.worthwhileFrom ? try snapshot.concurrentReaders(ParallelReads.threads) : nil
        // Counting every conversation is a scan: only when the stale ones could be half.
        let rebuild = try stale.count >= Self.rebuildFrom
            && stale.count * 2 >= Int.fetchOne(db, sql: "SELECT count(*) FROM conversations WHERE summary IS NOT NULL") ?? 0
        if rebuild { try IndexSchema.dropDetailIndexes(db) }
        let deferred = rebuild ? try DeferredTexts(db) : nil
        let batches = stride(from: 0, to: stale.count, by: Self.prefetchBatch).map { start in
            Array(stale[start..<min(start + Self.prefetchBatch, stale.count)])
        }
        // The next batches are read while this one is written, one after another on the same readers.
        let reading = DispatchQueue(label: "parley.index.prefetch")
        func readAhead(_ index: Int) -> PrefetchedRecords.Pending? {
            guard let readers, index < batches.count else { return nil }
            return PrefetchedRecords.Pending(batches[index].compactMap { row in
                PhoneNumber(e164: row["number"]).map { number in
                    PrefetchedRecords.Request(number: number, folders: texts ? RecordFolder.texts : RecordFolder.all,
                                              current: !texts && row["searched"] ? RecordFolder.texts : [], contact: !texts)
                }
            }, readers: readers, on: reading)
        }
        var upcoming = (0..<Self.batchesAhead).map(readAhead)
        var done = 0
        for (index, batch) in batches.enumerated() {
            let prefetched = upcoming.removeFirst()?.wait() ?? PrefetchedRecords()
            upcoming.append(readAhead(index + Self.batchesAhead))
            for row in batch {
                let key: String = row["number"]
                done += 1
                guard let number = PhoneNumber(e164: key) else { continue }
                // A file that cannot be read is reported by thread and inbox;
                // search and reports skip the conversation until it is fixed.
                // A failing statement is the index's own fault: it ends the catch-up.
                do {
                    if texts {
                        try indexTexts(of: number, prefetched: prefetched, deferred: deferred)
                    } else {
                        try indexDetails(of: number, prefetched: prefetched, deferred: deferred)
                    }
                } catch is ParleyError { continue }
                // Everything includes the texts.
                try db.cachedStatement(sql: texts ? "UPDATE conversations SET searched_id = ?1 WHERE number = ?2"
                    : "UPDATE conversations SET searched_id = ?1, detailed_id = ?1 WHERE number = ?2")
                    .execute(arguments: [row["content_id"] as String?, key])
                if done % 100 == 0 || done == stale.count { progress?(done, stale.count) }
            }
        }
        try deferred?.write()
        if rebuild { try IndexSchema.createDetailIndexes(db) }
    }

    /// From how many stale conversations, when they are also at least half
    /// of all, the details are rebuilt without their secondary indexes
    /// (`IndexSchema.detailIndexes`): sorting every row once then costs
    /// less than inserting half of them into each index; a few changed
    /// conversations keep the indexes (a first search at a million
    /// messages: 165 s with them, 115 s without).
    static var rebuildFrom: Int { 32 }

    /// Conversations whose records are read ahead at once: enough to keep
    /// the threads busy, few enough that their parsed files stay small.
    private static var prefetchBatch: Int { 64 }

    /// Batches read ahead of the one being written: with one, the readers
    /// stopped whenever they finished before the writer (a first search at a
    /// million messages: 37.4-37.8 s with one, 35.5-36.1 s with four).
    private static var batchesAhead: Int { 4 }

    /// Where the contact is (zone and state) and its line type, or nothing when there is no readable contact file.
    private func indexContact(of number: PhoneNumber, prefetched: PrefetchedRecords) throws {
        let path = MailboxLayout.contactPath(number)
        let contact = try prefetched.contact(at: path) ?? snapshot.read(path).flatMap { data in try? Contact.parse(data, path: path) }
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO contacts(number, time_zone, state, line_type, line_type_checked, line_type_source) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [number.e164, contact?.timeZone, contact?.state, contact?.lineType?.rawValue,
                                     contact?.lineTypeCheckedAt?.timeIntervalSince1970, contact?.lineTypeSource])
    }

    /// The consent ledger, and which messages were STOP or START keywords.
    private func indexConsent(of number: PhoneNumber, prefetched: PrefetchedRecords) throws {
        let key = number.e164
        _ = try sync(.consent, as: ConsentEvent.self, number: number, prefetched: prefetched) { event, name, blob in
            try db.cachedStatement(sql: """
                INSERT INTO consent_events(number, name, content_id, id, time, kind, message_id, resolution) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [key, name, blob, event.id, event.time.timeIntervalSince1970, event.kind.rawValue,
                                         event.messageID, event.resolution])
            return event.id
        }
        // STOP and START keep nobody waiting for a person: the report needs to know which messages were keywords.
        try db.cachedStatement(sql: """
            UPDATE messages SET keyword = (id IN (SELECT message_id FROM consent_events WHERE number = ?1 AND message_id IS NOT NULL
                AND kind IN ('opted_out', 'opted_in'))) WHERE number = ?1
            """).execute(arguments: [key])
    }

    /// Messages with their text, and events with their notes: what search
    /// reads. Returns the ids of the messages added or changed. Their texts
    /// go to `deferred` when there is one.
    @discardableResult
    private func indexTexts(of number: PhoneNumber, prefetched: PrefetchedRecords, deferred: DeferredTexts?) throws -> Set<String> {
        let key = number.e164
        let touched = try sync(.messages, as: Message.self, number: number, prefetched: prefetched, forget: { name in
            try db.cachedStatement(sql: "DELETE FROM message_text WHERE rowid = (SELECT rowid FROM messages WHERE number = ? AND name = ?)")
                .execute(arguments: [key, name])
        }) { message, name, blob in
            let rowID = try freeRowID(at: message.time)
            try db.cachedStatement(sql: """
                INSERT INTO messages(rowid, number, name, content_id, id, time, direction, agent, template, segments, overrides, initial_status,
                                     approved_by, line, gateway)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [rowID, key, name, blob, message.id, message.time.timeIntervalSince1970, message.direction.rawValue,
                                         message.agent, message.template, message.segments, message.overrides.map(\.description).joined(separator: "\n"),
                                         message.status.rawValue, message.approvedBy,
                                         (message.direction == .inbound ? message.to : message.from).e164, message.gateway])
            if let deferred {
                try deferred.add(rowID: rowID, body: message.body)
            } else {
                try db.cachedStatement(sql: "INSERT INTO message_text(rowid, body) VALUES (?, ?)").execute(arguments: [rowID, message.body])
            }
            return message.id
        }
        _ = try sync(.events, as: ConversationEvent.self, number: number, prefetched: prefetched, forget: { name in
            try db.cachedStatement(sql: "DELETE FROM note_text WHERE rowid = (SELECT rowid FROM events WHERE number = ? AND name = ?)")
                .execute(arguments: [key, name])
        }) { event, name, blob in
            try db.cachedStatement(sql: """
                INSERT INTO events(number, name, content_id, id, time, kind, actor, assignee, use_case, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [key, name, blob, event.id, event.time.timeIntervalSince1970, event.kind.rawValue, event.by,
                                         event.assignee, event.useCase, event.outcome])
            if let note = event.note {
                try db.cachedStatement(sql: "INSERT INTO note_text(rowid, body) VALUES (?, ?)").execute(arguments: [db.lastInsertedRowID, note])
            }
            return event.id
        }
        return touched
    }

    private func indexDetails(of number: PhoneNumber, prefetched: PrefetchedRecords, deferred: DeferredTexts?) throws {
        let key = number.e164
        var touched = try indexTexts(of: number, prefetched: prefetched, deferred: deferred)
        touched.formUnion(try sync(.receipts, as: DeliveryRecord.self, number: number, prefetched: prefetched) { record, name, blob in
            try db.cachedStatement(sql: """
                INSERT INTO receipts(number, name, content_id, message_id, status, time, error_code, price, price_unit)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [key, name, blob, record.messageID, record.status.rawValue, record.time.timeIntervalSince1970,
                                         record.errorCode, record.price.flatMap(Double.init).map(abs), record.priceUnit])
            return record.messageID
        })
        try settleDeliveries(of: touched, number: key)
        try indexConsent(of: number, prefetched: prefetched)
        try indexContact(of: number, prefetched: prefetched)
        _ = try sync(.outcomes, as: OutcomeRecord.self, number: number, prefetched: prefetched) { record, name, blob in
            try db.cachedStatement(sql: "INSERT INTO outcomes(number, name, content_id, id, time, use_case, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: [key, name, blob, record.id, record.time.timeIntervalSince1970, record.useCase, record.outcome])
            return record.id
        }
        _ = try sync(.appointments, as: AppointmentRecord.self, number: number, prefetched: prefetched) { record, name, blob in
            try db.cachedStatement(sql: """
                INSERT INTO appointments(number, name, content_id, id, time, use_case, source, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [key, name, blob, record.id, record.time.timeIntervalSince1970, record.useCase, record.source,
                                         record.importedBy])
            return record.id
        }
        _ = try sync(.automationRecords, as: AutomationRecord.self, number: number, prefetched: prefetched) { record, name, blob in
            try db.cachedStatement(sql: """
                INSERT INTO automation_records(number, name, content_id, id, time, kind, automation, subject, message, answer, use_case, agent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [key, name, blob, record.id, record.time.timeIntervalSince1970, record.kind.rawValue, record.automation,
                                         record.subject, record.message, record.answer, record.useCase, record.agent])
            return record.id
        }
        // The report's facts of this conversation, walked now so a report only reads them.
        var facts = ReportFacts()
        for records in try ConversationRecords.read(db, number: key) { ConversationTimeline.walk(records, into: &facts) }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO report_facts(number, facts) VALUES (?, ?)")
            .execute(arguments: [key, FactCoding.encode(facts)])
    }

    /// Brings the rows of `folder`'s table for one conversation up to its
    /// files: rows of files gone or changed are deleted (`forget` first
    /// removes what hangs off them), new or changed files are parsed (or
    /// taken from `prefetched`) and `insert`ed. Returns the ids `insert`
    /// and the deleted rows name.
    private func sync<Record: IndexedRecordFile>(
        _ folder: RecordFolder, as type: Record.Type, number: PhoneNumber, prefetched: PrefetchedRecords, forget: (String) throws -> Void = { _ in },
        insert: (_ record: Record, _ name: String, _ blob: String) throws -> String
    ) throws -> Set<String> {
        let directory = folder.directory(number), key = number.e164, table = folder.table
        var files: [String: StoreEntry] = [:]
        for entry in try prefetched.listing(of: directory) ?? snapshot.list(directory) ?? [] where !entry.isDirectory && entry.name.hasSuffix(folder.suffix) {
            files[entry.name] = entry
        }
        let idColumn = table == "receipts" ? "message_id" : "id"
        var touched = Set<String>()
        var indexed: [String: String] = [:]
        // Cached: compiling a statement (and GRDB's authorizer on it) cost more than running it, eight tables a conversation.
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT name, content_id, \(idColumn) AS id FROM \(table) WHERE number = ?"), arguments: [key]) {
            let name: String = row["name"], blob: String = row["content_id"]
            indexed[name] = blob
            guard files[name].map({ $0.contentID ?? "" }) != blob || blob.isEmpty else { continue }
            try forget(name)
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE number = ? AND name = ?").execute(arguments: [key, name])
            touched.insert(row["id"])
        }
        for (name, entry) in files {
            let blob = entry.contentID ?? ""
            guard indexed[name] != blob || blob.isEmpty else { continue }
            let path = entry.path(in: directory)
            let record: Record
            if let early = prefetched.record(at: path, contentID: blob, as: Record.self) {
                record = early
            } else {
                // Read by the id the listing gave, not walked to from the root.
                guard let data = try snapshot.read(entry, in: directory) else { continue }
                record = try Record.parse(data, path: path)
            }
            touched.insert(try insert(record, name, blob))
        }
        return touched
    }

    /// A message's delivery after all its receipts, kept on its row so a
    /// report reads one row per message: the status (forward only), the
    /// error code of the record that set it, and the price when one was given.
    /// Settled for a conversation's touched messages, and those never settled
    /// (indexed for search alone), with two reads, not two a message (a
    /// sixth of the writer's time in a first search at 1M); receipts of the
    /// same millisecond keep the order they were indexed in.
    private func settleDeliveries(of messageIDs: Set<String>, number: String) throws {
        var initial: [String: DeliveryStatus] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT id, initial_status, status IS NULL AS unsettled FROM messages WHERE number = ?"),
                                    arguments: [number]) {
            let id: String = row["id"]
            if messageIDs.contains(id) || row["unsettled"], let status = DeliveryStatus(rawValue: row["initial_status"]) { initial[id] = status }
        }
        guard !initial.isEmpty else { return }
        var receipts: [String: [DeliveryRecord]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT message_id, status, time, error_code, price, price_unit FROM receipts WHERE number = ? ORDER BY time, rowid
            """), arguments: [number]) {
            let id: String = row["message_id"]
            guard initial[id] != nil, let status = DeliveryStatus(rawValue: row["status"]) else { continue }
            receipts[id, default: []].append(DeliveryRecord(messageID: id, status: status, time: Date(timeIntervalSince1970: row["time"]), gateway: "",
                errorCode: row["error_code"], price: (row["price"] as Double?).map { String($0) }, priceUnit: row["price_unit"]))
        }
        for (messageID, initialStatus) in initial {
            let records = receipts[messageID] ?? []
            let status = DeliveryRecord.effectiveStatus(of: records, initial: initialStatus)
            let priced = records.last { $0.price != nil }
            try db.cachedStatement(sql: "UPDATE messages SET status = ?, error_code = ?, price = ?, price_unit = ? WHERE number = ? AND id = ?")
                .execute(arguments: [status.rawValue, records.last { $0.status == status }?.errorCode, priced?.price.flatMap(Double.init),
                                     priced?.priceUnit, number, messageID])
        }
    }

    /// A message's row id orders by its time (milliseconds since 2000, then
    /// a slot for messages of the same millisecond), so search walks the
    /// text index newest first and stops at its limit instead of sorting
    /// every match.
    static func rowIDBase(of time: Date) -> Int64 {
        let milliseconds = (time.timeIntervalSince1970 - epoch) * 1000
        return Int64(min(max(milliseconds, 0), 1e13)) << slotBits
    }

    private static var epoch: TimeInterval { 946_684_800 }
    private static var slotBits: Int64 { 12 }

    private func freeRowID(at time: Date) throws -> Int64 {
        let base = Self.rowIDBase(of: time)
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(rowid) FROM messages WHERE rowid BETWEEN ? AND ?"),
            arguments: [base, base + (1 << Self.slotBits) - 1])
        var candidate = last.map { $0 + 1 } ?? base
        // Within its millisecond's slots the id after the highest is free; past them (more
        // messages in one millisecond than slots) it may be a later millisecond's: take the next free id.
        while candidate >= base + (1 << Self.slotBits),
              try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM messages WHERE rowid = ?"), arguments: [candidate]) == true {
            candidate += 1
        }
        return candidate
    }
}
