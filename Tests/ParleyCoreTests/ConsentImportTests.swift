import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct ConsentImportTests {
    let store = InMemoryStore()

    func mailbox() throws -> Mailbox {
        let clock = ParleyClock(fixed: Timestamp.parse("2026-03-09T10:00:00-05:00")!)
        if try store.snapshot().read(MailboxLayout.configFile) == nil {
            return try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: [:], clock: clock, agent: Fixtures.agent)
        }
        return try Mailbox.open(store: store, clock: clock, agent: Fixtures.agent, location: "test")
    }

    func importer(disclosure: String? = "I agree to receive texts from Bright Smile Dental. Reply STOP to opt out.") -> ConsentImport {
        var defaults = ConsentImport.Defaults()
        defaults.disclosure = disclosure
        defaults.purpose = "appointment reminders"
        return ConsentImport(columns: ConsentImport.Columns(), defaults: defaults, fileName: "signups.csv", fileHash: "sha256:abc")
    }

    @Test func rowsWithProblemsAreReportedByLineAndTheRestCommittedOnce() throws {
        let csv = """
            phone,name,consented_at
            (312) 555-0147,Sarah Lee,2026-03-01T10:15:00-06:00
            555-CALL,Bad Number,2026-03-01
            +1 312 555 0123,"Becker, Tom",2026-03-02
            (312) 555-0147,Sarah Lee,2026-03-01T10:15:00-06:00
            3125550111,Too Many,2026-03-02,extra
            "unterminated-free ""quoted"" name",x,2026-03-02
            3125550122,Future,2027-01-01
            3125550133,"Multi
            line",2026-03-03

            """
        let report = try mailbox().consent.importCSV(csv, using: importer(), dryRun: false)
        #expect(report.rows == 8)
        #expect(report.imported == 3)
        #expect(report.duplicatesInFile == [5])
        #expect(report.problems.map(\.line) == [3, 6, 7, 8])
        #expect(report.problems[0].problem.contains("'555-CALL' is not a phone number"))
        #expect(report.problems[1].problem == "4 fields where the header has 3")
        #expect(report.problems[3].problem.contains("in the future"))
        #expect(try store.history(touching: [], limit: nil).count == 2)
        let tom = try mailbox().conversations.conversation(try PhoneNumber.parse("+13125550123"))
        #expect(tom.consent.status == .granted)
        #expect(tom.consent.grant?.name == "Becker, Tom")
        #expect(tom.consent.grant?.evidenceFileHash == "sha256:abc")
        #expect(tom.consent.grant?.method == .import)
    }

    @Test func reimportingTheSameFileChangesNothing() throws {
        let csv = "phone,name\n3125550147,Sarah\n3125550123,Tom\n"
        #expect(try mailbox().consent.importCSV(csv, using: importer(), dryRun: false).imported == 2)
        let again = try mailbox().consent.importCSV(csv, using: importer(), dryRun: false)
        #expect(again.imported == 0)
        #expect(again.alreadyRecorded == 2)
        #expect(again.commit == nil)
        #expect(try store.history(touching: [], limit: nil).count == 2)
    }

    @Test func dryRunCommitsNothingAndAMissingDisclosureIsRefused() throws {
        let report = try mailbox().consent.importCSV("phone\n3125550147\n", using: importer(), dryRun: true)
        #expect(report.imported == 1)
        #expect(report.commit == nil)
        #expect(try store.history(touching: [], limit: nil).count == 1)
        #expect(throws: ParleyError.self) { try mailbox().consent.importCSV("phone\n3125550147\n", using: importer(disclosure: nil), dryRun: false) }
        #expect(throws: ParleyError.self) { try mailbox().consent.importCSV("mobile\n3125550147\n", using: importer(), dryRun: false) }
        #expect(throws: ParleyError.self) { try mailbox().consent.importCSV("phone\n\"open\n", using: importer(), dryRun: false) }
    }

    @Test func fiftyThousandRowsInOneCommit() throws {
        var csv = "phone,name,consented_at\n"
        for index in 0..<50_000 { csv += "+1312\(2_000_000 + index),Customer \(index),2026-02-01T12:00:00Z\n" }
        var progress: [Int] = []
        let report = try mailbox().consent.importCSV(csv, using: importer(), dryRun: false) { done, _ in progress.append(done) }
        #expect(report.imported == 50_000)
        #expect(report.problems.isEmpty)
        #expect(progress.count > 40)
        #expect(try store.history(touching: [], limit: nil).count == 2)
    }

    @Test func theLedgerShowsEveryRecordWithItsCommit() async throws {
        let mailbox = try mailbox()
        try mailbox.consent.grant(Fixtures.sarah, name: "Sarah", disclosure: "I agree.", purpose: "reminders", method: .paper, source: "front desk")
        _ = try await mailbox.inbound.receive(from: Fixtures.sarah, body: "STOP", gateway: "sandbox")
        let (state, entries) = try mailbox.consent.ledger(Fixtures.sarah)
        #expect(state.status == .optedOut)
        #expect(entries.map(\.event.kind) == [.granted, .optedOut])
        let history = try store.history(touching: [], limit: nil)
        #expect(entries.map(\.commit) == [history[1].id, history[0].id])
    }
}
