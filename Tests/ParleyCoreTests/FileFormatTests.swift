import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct FileFormatTests {
    let message = Message(
        id: "01JNX8Q3Z4T5V6W7X8Y9Z0ABCD", direction: .outbound, time: Fixtures.monday, from: Fixtures.business, to: Fixtures.sarah,
        agent: "dana", gateway: "sandbox", gatewayID: "SBX123", status: .queued, segments: 1, encoding: "GSM-7",
        template: "appointment-reminder", templateBlob: "3f2a", overrides: [Override(rule: .quietHours, reason: "patient asked")],
        body: "Hi Sarah: see you \"Thursday\" at 3:30 pm.\n\n- Bright Smile Dental\n")

    @Test func messageRoundTripsByteForByte() throws {
        let data = message.fileData()
        let parsed = try Message.parse(data, path: "m.md")
        #expect(parsed == message)
        #expect(parsed.fileData() == data)
    }

    @Test func messageFileIsPlainReadableMarkdown() {
        let text = String(decoding: message.fileData(), as: UTF8.self)
        #expect(text.hasPrefix("---\nid: 01JNX8Q3Z4T5V6W7X8Y9Z0ABCD\ndirection: outbound\ntime: 2026-03-09T15:00:00.000Z\nfrom: \"+13125550100\"\n"))
        #expect(text.hasSuffix("---\nHi Sarah: see you \"Thursday\" at 3:30 pm.\n\n- Bright Smile Dental\n\n"))
    }

    @Test func recordsAndEventsRoundTrip() throws {
        let record = DeliveryRecord(messageID: message.id, status: .undelivered, time: Fixtures.monday, gateway: "twilio", gatewayID: "SM1",
                                    errorCode: "30005", errorMessage: "Unknown handset", raw: "{\"MessageStatus\": \"undelivered\",\n \"x\": 1}")
        #expect(try DeliveryRecord.parse(record.fileData(), path: "r.yaml") == record)
        let event = ConversationEvent(id: "01JNX8Q3Z4T5V6W7X8Y9Z0ABCE", kind: .tag, time: Fixtures.monday, by: "dana", tags: ["billing", "yes"], note: "no: really")
        #expect(try ConversationEvent.parse(event.fileData(), path: "e.yaml") == event)
        #expect(try ConversationEvent.parse(event.fileData(), path: "e.yaml").fileData() == event.fileData())
    }

    @Test func contactAndConfigRoundTrip() throws {
        let contact = Contact(number: Fixtures.sarah, name: "Sarah O'Neil: VIP", timeZone: "America/Chicago", state: "IL", notes: "Prefers mornings.\n# not a heading?")
        #expect(try Contact.parse(contact.fileData(), path: "c.md") == contact)
        var config = Fixtures.config
        config.agents = ["dana": "Dana Ruiz", "sam": "Sam Patel"]
        config.gateway.settings = ["account_sid": "AC123", "public_base_url": "https://example.com/hooks"]
        let parsed = try MailboxConfig.parse(config.fileData())
        #expect(parsed == config)
        #expect(parsed.fileData() == config.fileData())
    }

    @Test(arguments: [
        ("id: x\n", "m.md:1: expected '---' to open the front matter"),
        ("---\nid: 01JNX8Q3Z4T5V6W7X8Y9Z0ABCD\n", "m.md:3: front matter opened on line 1 is never closed with '---'"),
        ("---\nid: 01JNX8Q3Z4T5V6W7X8Y9Z0ABCD\ndirection: sideways\n---\nhi\n", "m.md:3: 'direction' must be inbound or outbound, not 'sideways'"),
        ("---\nid: 01JNX8Q3Z4T5V6W7X8Y9Z0ABCD\ndirection: inbound\ntime: yesterday\nfrom: \"+13125550147\"\nto: \"+13125550100\"\ngateway: sandbox\nstatus: received\n---\nhi\n", "m.md:4: 'time' must be an ISO 8601 time with an offset such as 2026-03-08T20:30:00Z, not 'yesterday'"),
        ("---\nid: 01JNX8Q3Z4T5V6W7X8Y9Z0ABCD\ndirection: inbound\ntime: 2026-03-09T15:00:00Z\nfrom: \"555\"\nto: \"+13125550100\"\ngateway: sandbox\nstatus: received\n---\nhi\n", "m.md:5: 'from' must be an E.164 number such as +15550100123, not '555'"),
        ("---\nid: [unclosed\n---\nhi\n", "m.md:3: YAML: did not find expected ',' or ']'"),
        ("---\nid: a\nid: b\n---\n", "m.md:2: duplicate key id"),
    ])
    func malformedFilesNameTheLine(text: String, expected: String) {
        #expect(throws: (any Error).self) { try Message.parse(Data(text.utf8), path: "m.md") }
        do {
            _ = try Message.parse(Data(text.utf8), path: "m.md")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func unknownKeysAreToleratedAndWhitespaceIsForgiven() throws {
        let text = "---\r\nid:   01JNX8Q3Z4T5V6W7X8Y9Z0ABCD  \r\ndirection: inbound\r\ntime: 2026-03-09T09:00:00-06:00\r\nfrom: '+13125550147'\r\nto: \"+13125550100\"\r\ngateway: sandbox\r\nstatus: received\r\nmood: happy\r\n---\r\nHello\r\n"
        let parsed = try Message.parse(Data(text.utf8), path: "m.md")
        #expect(parsed.body == "Hello")
        #expect(parsed.time == Fixtures.monday)
    }

    @Test func configRejectsNewerFormatsAndSecretsStayOut() throws {
        #expect(throws: ParleyError.self) { try MailboxConfig.parse(Data("format: 9\nbusiness:\n  name: X\n  number: \"+13125550100\"\n".utf8)) }
        #expect(MailboxLayout.isSecretPath("secrets/twilio.yaml"))
        #expect(MailboxLayout.isSecretPath("config/.env"))
        #expect(MailboxLayout.isSecretPath("twilio.credentials"))
        #expect(!MailboxLayout.isSecretPath("conversations/47/+13125550147/contact.md"))
    }
}
