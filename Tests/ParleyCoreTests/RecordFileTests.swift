import Foundation
@testable import ParleyCore
import ParleyTestSupport
import Testing

/// The flat record files are written and read by one declaration (their
/// properties); these pin their bytes, so a renamed or reordered property
/// cannot change what is on disk unnoticed.
@Suite struct RecordFileTests {
    @Test(arguments: [("gatewayID", "gateway_id"), ("evidenceFileHash", "evidence_file_hash"), ("URLPath", "url_path"),
                      ("retryAfter2Hours", "retry_after2_hours"), ("e164", "e164"), ("id", "id"), ("naïveName", "naïve_name")])
    func fileKeysAreSnakeCase(property: String, key: String) {
        #expect(snakeCase(property) == key)
    }

    @Test func consentEventBytes() throws {
        let event = ConsentEvent(
            id: "CE1", kind: .reviewResolved, time: Fixtures.monday, number: Fixtures.sarah, name: "Sarah", disclosure: "I agree: texts",
            purpose: "reminders", method: .webForm, source: "https://example.com/form", actor: "dana", evidenceIP: "203.0.113.9",
            evidenceURL: "https://example.com/proof", evidenceFileHash: "ab12", messageID: "SM1", resolution: "keep", note: "checked")
        try expectBytes(event, event.fileData(), """
            id: CE1
            event: review_resolved
            time: 2026-03-09T15:00:00.000Z
            number: "+13125550147"
            name: Sarah
            disclosure: "I agree: texts"
            purpose: reminders
            method: web_form
            source: https://example.com/form
            actor: dana
            evidence_ip: "203.0.113.9"
            evidence_url: https://example.com/proof
            evidence_file_hash: ab12
            message: SM1
            resolution: keep
            note: checked

            """, parse: ConsentEvent.parse)
    }

    @Test func conversationEventBytes() throws {
        let event = ConversationEvent(id: "CV1", kind: .close, time: Fixtures.monday, by: "dana", assignee: "sam", tags: ["billing", "yes"],
                                      note: "done", useCase: "sales", outcome: "won")
        try expectBytes(event, event.fileData(), """
            id: CV1
            event: close
            time: 2026-03-09T15:00:00.000Z
            by: dana
            assignee: sam
            tags:
              - billing
              - "yes"
            use_case: sales
            outcome: won
            note: done

            """, parse: ConversationEvent.parse)
    }

    @Test func deliveryRecordBytes() throws {
        let record = DeliveryRecord(messageID: "01J", status: .undelivered, time: Fixtures.monday, gateway: "twilio", gatewayID: "SM1",
                                    errorCode: "30005", errorMessage: "Unknown handset", price: "-0.0079", priceUnit: "USD", raw: "{\"a\": 1}\n")
        try expectBytes(record, record.fileData(), """
            message: 01J
            status: undelivered
            time: 2026-03-09T15:00:00.000Z
            gateway: twilio
            gateway_id: SM1
            error_code: "30005"
            error_message: Unknown handset
            price: "-0.0079"
            price_unit: USD
            raw: "{\\"a\\": 1}\\n"

            """, parse: DeliveryRecord.parse)
    }

    @Test func outcomeAndErasureBytes() throws {
        let outcome = OutcomeRecord(number: Fixtures.sarah, time: Fixtures.monday, useCase: "appointments", outcome: "no-show",
                                    source: "book.csv", importedBy: "dana")
        try expectBytes(outcome, outcome.fileData(), """
            id: \(outcome.id)
            number: "+13125550147"
            time: 2026-03-09T15:00:00.000Z
            use_case: appointments
            outcome: no-show
            source: book.csv
            imported_by: dana

            """, parse: OutcomeRecord.parse)
        let erasure = ErasureRecord(id: "ER1", kind: .messages, time: Fixtures.monday, by: "dana", reason: "policy",
                                    messagesBefore: Fixtures.monday, filesRemoved: 12, commitsRewritten: 0)
        try expectBytes(erasure, erasure.fileData(), """
            id: ER1
            kind: messages
            time: 2026-03-09T15:00:00.000Z
            by: dana
            reason: policy
            messages_before: 2026-03-09T15:00:00.000Z
            files_removed: 12
            commits_rewritten: 0

            """, parse: ErasureRecord.parse)
    }

    @Test(arguments: [
        ("id: CE1\nevent: granted\ntime: 2026-03-09T15:00:00Z\nnumber: \"+13125550147\"\n", "c.yaml:1: missing 'actor'"),
        ("id: CE1\nevent: granted\ntime: 2026-03-09T15:00:00Z\nnumber: \"555\"\nactor: dana\n",
         "c.yaml:4: 'number' must be an E.164 number such as +15550100123, not '555'"),
        ("id: CE1\nevent: maybe\ntime: 2026-03-09T15:00:00Z\nnumber: \"+13125550147\"\nactor: dana\n",
         "c.yaml:2: 'event' must be one of granted, revoked, opted_out, opted_in, review_opened, review_resolved, not 'maybe'"),
        ("id: CE1\nevent: granted\ntime: soon\nnumber: \"+13125550147\"\nactor: dana\n",
         "c.yaml:3: 'time' must be an ISO 8601 time with an offset such as 2026-03-08T20:30:00Z, not 'soon'"),
    ])
    func consentProblemsNameTheLine(text: String, expected: String) {
        do {
            _ = try ConsentEvent.parse(Data(text.utf8), path: "c.yaml")
            Issue.record("expected \(expected)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func optionalsLeftOutOrNullReadAsNothing() throws {
        let text = "id: CE1\nevent: granted\ntime: 2026-03-09T15:00:00Z\nnumber: \"+13125550147\"\nactor: dana\nnote: ~\nname:\n"
        let event = try ConsentEvent.parse(Data(text.utf8), path: "c.yaml")
        #expect(event.note == nil && event.name == nil && event.method == nil)
    }

    @Test func crossFieldRulesStillHold() {
        let text = "id: CV1\nevent: assign\ntime: 2026-03-09T15:00:00Z\nby: dana\n"
        do {
            _ = try ConversationEvent.parse(Data(text.utf8), path: "e.yaml")
            Issue.record("an assign without an assignee was read")
        } catch {
            #expect(error.description == "e.yaml:2: an assign event needs 'assignee'")
        }
    }

    private func expectBytes<Record: Equatable>(_ record: Record, _ data: Data, _ expected: String,
                                                parse: (Data, String) throws -> Record) throws {
        #expect(String(decoding: data, as: UTF8.self) == expected)
        #expect(try parse(data, "r.yaml") == record)
    }
}
