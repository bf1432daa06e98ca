import Foundation
import ParleyCore
import ParleyServer
import ParleyTestSupport
import Testing

/// Delivery reports that carry a carrier's error, signed by Twilio's own
/// package and posted to the running server: a filtered text is announced,
/// the line pauses itself past its threshold (announced too), and a
/// permanent error marks the number.
@Suite struct DeliverabilityWebhookTests {
    @Test func failedReportsAlertPauseTheLineAndMarkTheNumber() async throws {
        let harness = try ServerHarness { config in
            config.deliverability.pauseWindow = 2
            config.deliverability.pauseShare = 0.5
        }
        let receiver = WebhookReceiver()
        try await receiver.start()
        defer { receiver.stop() }
        try await harness.start { $0.alertPoster = try? AlertPoster(url: receiver.url) }
        defer { harness.stop() }
        let mailbox = harness.mailbox
        var sent: [PhoneNumber: String] = [:]
        for number in [Fixtures.sarah, Fixtures.tom] {
            try mailbox.consent.grant(number, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
            sent[number] = try await mailbox.sending.send(to: number, OutgoingMessage(body: "Hi, Bright Smile Dental here. Reply STOP to opt out."),
                                                          via: ScriptedGateway(name: "twilio")).message.id
        }
        func fail(_ number: PhoneNumber, code: String) async throws -> Int {
            try await harness.postTwilio("/twilio/status?ref=\(sent[number]!)&to=\(number.e164.replacingOccurrences(of: "+", with: "%2B"))",
                                         [("MessageSid", "SM\(code)"), ("MessageStatus", "undelivered"), ("To", number.e164), ("AccountSid", "AC1"),
                                          ("ErrorCode", code)]).0
        }
        #expect(try await fail(Fixtures.sarah, code: "30007") == 200)
        try await Self.wait { receiver.received.count >= 2 }
        #expect(receiver.received[0].contains("Carriers filtered a text from line main (+13125550100) to +13125550147 (not from a template): "
            + "twilio error 30007"))
        #expect(receiver.received[1].contains("Line main (+13125550100) paused itself: 1 of its last 2 sends failed (1 filtered by carriers)"))
        #expect(try mailbox.lines.pause(of: mailbox.config.defaultLine)?.by == Agent.systemHandle)
        #expect(try await fail(Fixtures.tom, code: "30005") == 200)
        let tom = try mailbox.conversations.conversation(Fixtures.tom)
        #expect(tom.state.unreachable?.reason.hasPrefix("twilio error 30005: the number does not exist or is not in service") == true)
        do {
            _ = try await mailbox.sending.send(to: Fixtures.tom, OutgoingMessage(body: "Hello? - Bright Smile Dental"), via: ScriptedGateway(name: "twilio"))
            Issue.record("a send to an unreachable number on a paused line went out")
        } catch {
            #expect("\(error)".hasPrefix("refused by reachable"))
        }
    }

    static func wait(_ condition: () -> Bool) async throws {
        for _ in 0..<200 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
        #expect(condition())
    }
}
