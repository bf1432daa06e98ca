import Foundation
import ParleyCore
import ParleyTestSupport
import Testing
import ParleyRendering

@Suite struct RendererTests {
    func conversation() async throws -> Conversation {
        let store = InMemoryStore()
        let clock = Fixtures.clock()
        let mailbox = try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: [:], clock: clock, agent: Fixtures.agent)
        try mailbox.contacts.add(Contact(number: Fixtures.sarah, name: "Sarah Lee", timeZone: "America/Chicago"))
        _ = try await mailbox.inbound.receive(from: Fixtures.sarah, body: "Can I come Thursday?", gateway: "sandbox", gatewayID: "SM1")
        let later = try Mailbox.open(store: store, clock: Fixtures.clock(Fixtures.monday.addingTimeInterval(86_400)), agent: Fixtures.agent, location: "t")
        _ = try later.triage.assign(Fixtures.sarah, to: "sam")
        return try later.conversations.conversation(Fixtures.sarah)
    }

    @Test func threadShowsDaysBothZonesAndEvents() async throws {
        let text = ThreadRenderer(viewerZone: TimeZone(identifier: "America/New_York")!, style: .plain, businessName: "B").render(try await conversation())
        #expect(text == """
            Sarah Lee  +1 312-555-0147
            their zone America/Chicago · your zone America/New_York · assigned to sam · open · 1 message

            ─── Monday 9 March 2026 ───
            11:00 (10:00 theirs)  ← Sarah Lee
                Can I come Thursday?

            ─── Tuesday 10 March 2026 ───
            11:00 (10:00 theirs)  · dana assigned it to sam

            """)
    }

    @Test func plainStyleNeverEmitsEscapes() async throws {
        let text = ThreadRenderer(viewerZone: TimeZone(identifier: "UTC")!, style: .plain, businessName: "B").render(try await conversation())
        #expect(!text.contains("\u{1B}"))
        let colored = ThreadRenderer(viewerZone: TimeZone(identifier: "UTC")!, style: .ansi, businessName: "B").render(try await conversation())
        #expect(colored.contains("\u{1B}[36m← Sarah Lee\u{1B}[0m"))
    }

    @Test func durationsAreShort() {
        #expect(DurationText.short(45) == "45s")
        #expect(DurationText.short(720) == "12m")
        #expect(DurationText.short(3 * 3600 + 300) == "3h 05m")
        #expect(DurationText.short(2 * 86_400 + 4 * 3600) == "2d 04h")
    }
}
