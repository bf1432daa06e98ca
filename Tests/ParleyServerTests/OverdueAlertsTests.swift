import Foundation
import ParleyCore
import ParleyServer
import ParleyTestSupport
import Testing

/// Overdue alerts posted to a real HTTP receiver on loopback.
@Suite struct OverdueAlertsTests {
    static let sarah = try! PhoneNumber.parse("+13125550147"), tom = try! PhoneNumber.parse("+13125550123")

    /// A mailbox with Sarah's text of Thursday 20:59 (opening hours Monday–Friday 09:00–17:00, target 15m), seen at `now`.
    func mailbox(_ store: InMemoryStore, at now: String) throws -> Mailbox {
        if try store.snapshot().read(MailboxLayout.configFile) == nil {
            _ = try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles, clock: Fixtures.clock(),
                                       agent: Fixtures.agent)
        }
        return try Mailbox.open(store: store, clock: ParleyClock(fixed: Timestamp.parse(now)!), agent: Fixtures.agent, location: "test")
    }

    @Test func eachBreachIsAnnouncedOnceEvenAcrossRestartsAndAFailedPostIsRetried() async throws {
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        let directory = TemporaryDirectory("alerts")
        let state = directory.file("overdue-alerts.json")
        let store = InMemoryStore()
        _ = try await mailbox(store, at: "2026-03-05T20:59:00-06:00").inbound.receive(from: Self.sarah, body: "Can I move it?", gateway: "sandbox")

        // 09:14 on Friday: 14 business minutes, within target: nothing posted.
        #expect(try await OverdueAlerts(mailbox: mailbox(store, at: "2026-03-06T09:14:00-06:00"), poster: AlertPoster(url: receiver.url), statePath: state).check()
            == "0 overdue, 0 announced")
        #expect(receiver.received.isEmpty)

        // 09:16: overdue; announced once, not again on the next check.
        let late = try OverdueAlerts(mailbox: mailbox(store, at: "2026-03-06T09:16:00-06:00"), poster: AlertPoster(url: receiver.url), statePath: state)
        #expect(try await late.check() == "1 overdue, 1 announced")
        #expect(try await late.check() == "1 overdue, 0 announced")
        let body = try #require(receiver.received.first)
        let text = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: String])["text"]
        #expect(text == "Bright Smile Dental: +1 312-555-0147 has waited 16m of business time for a first reply (target 15m) · unassigned "
            + "· parley thread +13125550147")

        // A restarted server reads what was announced and stays quiet.
        let restarted = try OverdueAlerts(mailbox: mailbox(store, at: "2026-03-06T09:30:00-06:00"), poster: AlertPoster(url: receiver.url), statePath: state)
        #expect(try await restarted.check() == "1 overdue, 0 announced")

        // Tom goes overdue while the chat is down: the failure is reported, and the post is retried when it is back.
        _ = try await mailbox(store, at: "2026-03-06T09:31:00-06:00").inbound.receive(from: Self.tom, body: "Are you open Saturday?", gateway: "sandbox")
        receiver.answer(500)
        let down = try OverdueAlerts(mailbox: mailbox(store, at: "2026-03-06T09:50:00-06:00"), poster: AlertPoster(url: receiver.url), statePath: state)
        await #expect(throws: ParleyError.self) { try await down.check() }
        receiver.answer(200)
        #expect(try await down.check() == "2 overdue, 1 announced")
        #expect(receiver.received.count == 2 && receiver.received[1].contains("+1 312-555-0123"))
        #expect(!String(decoding: FileManager.default.contents(atPath: state) ?? Data(), as: UTF8.self).contains("secret"))
    }

    @Test func aURLThatIsNotHTTPIsRefused() throws {
        #expect(throws: ParleyError.self) { try AlertPoster(url: "hooks.slack.com/x") }
    }
}
