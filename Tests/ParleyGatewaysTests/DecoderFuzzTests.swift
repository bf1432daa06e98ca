import Foundation
import ParleyCore
import ParleyGateways
import ParleyTestSupport
import Testing

/// Property tests over random and mutated input: every decoder of network
/// input and every file parser either gives a value inside its range or a
/// clear error—never a trap. A fixed seed makes a failure repeatable.
@Suite struct DecoderFuzzTests {
    static let alphabet = Array("0123456789+-.:eEnaifT Z%&=kts\u{FEFF}\r\n\u{0}é👍".unicodeScalars)

    func randomText(_ generator: inout SeededGenerator, maxLength: Int = 40) -> String {
        let length = Int.random(in: 0...maxLength, using: &generator)
        return String(String.UnicodeScalarView((0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }))
    }

    func randomBytes(_ generator: inout SeededGenerator, maxLength: Int = 64) -> [UInt8] {
        (0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    @Test func kannelTimesAreInRangeOrRefused() {
        var generator = SeededGenerator(seed: 0x5eed_0001)
        let now = Date()
        let edge = ["nan", "-nan", "inf", "infinity", "1e308", "-1e308", "9223372036854775807", "99999999999999999999", "0", "-0", "0x10",
                    "2026-02-30+10:00:00", "2026-03-09+24:00:00", "10000-01-01+00:00:00", "2026-03-09 14:18:07", "1773065887"]
        for text in edge + (0..<20_000).map({ _ in randomText(&generator) }) {
            do {
                if let date = try KannelCallback.time(text) {
                    #expect(date.timeIntervalSince1970.isFinite)
                    // What the decoder accepts, the mailbox either stores or refuses cleanly.
                    if Timestamp.isPlausibleRecordTime(date, now: now) { #expect(Timestamp.parse(Timestamp.format(date)) != nil, "\(text)") }
                }
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func formsAndCharsetsDecodeWithoutTrapping() {
        var generator = SeededGenerator(seed: 0x5eed_0002)
        let charsets = [nil, "UTF-8", "UTF-16BE", "utf-16le", "ISO-8859-1", "WINDOWS-1252", "UCS-2", "bogus", ""]
        for _ in 0..<5_000 {
            let form = randomText(&generator, maxLength: 80)
            let pairs = FormEncoding.decode(form)
            _ = try? FormEncoding.fields(pairs, reading: ["from", "to", "ts", "k"])
            #expect(FormEncoding.decode(FormEncoding.encode(pairs)).map { [$0.0, $0.1] } == pairs.map { [$0.0, $0.1] })
            let bytes = randomBytes(&generator)
            let charset = charsets.randomElement(using: &generator)!
            _ = try? KannelCallback.text(bytes, contentType: Bool.random(using: &generator) ? "text/plain; charset=\(charset ?? "")" : nil,
                                         charset: charset, coding: ["0", "1", "2", nil].randomElement(using: &generator)!)
        }
    }

    @Test func fileParsersReportProblemsWithoutTrapping() throws {
        var generator = SeededGenerator(seed: 0x5eed_0003)
        let message = Message(id: "01JNQ0000000000000000000AB", direction: .inbound, time: Fixtures.monday, from: Fixtures.sarah, to: Fixtures.business,
                              agent: nil, gateway: "twilio", gatewayID: "SM1", status: .received, segments: 1, encoding: "GSM-7", body: "Hi\r\nthere")
        let samples: [Data] = [message.fileData(), Fixtures.config.fileData(),
                               DeliveryRecord(messageID: "01JNQ0000000000000000000AB", status: .delivered, time: Fixtures.monday, gateway: "twilio", raw: "x").fileData()]
        for _ in 0..<3_000 {
            var bytes = Array(samples.randomElement(using: &generator)!)
            for _ in 0..<Int.random(in: 1...6, using: &generator) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0...2, using: &generator) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: index)
                default: bytes.insert(contentsOf: Array(randomText(&generator, maxLength: 12).utf8), at: index)
                }
            }
            let data = Data(bytes)
            for parse in [{ _ = try Message.parse(data, path: "m.md") }, { _ = try MailboxConfig.parse(data) },
                          { _ = try DeliveryRecord.parse(data, path: "r.yaml") }, { _ = try ConsentEvent.parse(data, path: "c.yaml") },
                          { _ = try OutboxEntry.parse(data, path: "o.md") }, { _ = try Contact.parse(data, path: "contact.md") }] as [() throws -> Void] {
                do { try parse() } catch let error as ParleyError {
                    if case .malformed(let issue) = error { #expect(!issue.problem.isEmpty) }
                } catch {
                    Issue.record("unexpected \(error)")
                }
            }
        }
        // Whatever text a gateway sends is written so that it reads back the same.
        let special = Array("abc :#'\"-{}[]|>&*!%@`\t\\\r\n---\u{FEFF}\u{0}\u{85}\u{2028}é👍 ".unicodeScalars)
        for _ in 0..<2_000 {
            let text = String(String.UnicodeScalarView((0..<Int.random(in: 0...30, using: &generator)).map { _ in special.randomElement(using: &generator)! }))
            let record = DeliveryRecord(messageID: "01JNQ0000000000000000000AB", status: .failed, time: Fixtures.monday, gateway: "kannel",
                                        gatewayID: "F1", errorCode: "30003", errorMessage: text, raw: text)
            let read = try DeliveryRecord.parse(record.fileData(), path: "r.yaml")
            #expect(read.errorMessage == record.errorMessage && read.raw == record.raw, "\(text.debugDescription)")
            var withBody = message
            withBody.body = text
            #expect(try Message.parse(withBody.fileData(), path: "m.md").body == text, "\(text.debugDescription)")
        }
        // The reader keeps a body's CR LF byte for byte.
        #expect(try Message.parse(message.fileData(), path: "m.md").body == "Hi\r\nthere")
    }

    /// The JSON and form callbacks of Telnyx, Plivo, Vonage and Bandwidth: a random or mutated body
    /// either decodes into items whose values are in range, or is refused with a status—never a trap.
    @Test func providerCallbacksDecodeOrRefuseWithoutTrapping() {
        var generator = SeededGenerator(seed: 0x5eed_0004)
        let routes = [TelnyxWebhooks(publicKey: nil, clock: .system).routes, PlivoWebhooks(authToken: nil, publicBaseURL: nil).routes,
                      VonageWebhooks(signatureSecret: nil, method: nil, clock: .system).routes, BandwidthWebhooks(username: nil, password: nil).routes].flatMap { $0 }
        let seeds = [
            #"{"data":{"event_type":"message.received","payload":{"id":"a-1","text":"hi","from":{"phone_number":"+13125550147"},"to":[{"phone_number":"+1"}]}}}"#,
            #"{"data":{"event_type":"message.finalized","payload":{"id":"x","to":[{"phone_number":"+13125550147","status":"delivered"}],"errors":[{"code":9}]}}}"#,
            #"[{"type":"message-received","message":{"id":"1","from":"+13125550147","text":"x","to":["+13125550100"]}}]"#,
            #"[{"type":"message-failed","to":"+1312","errorCode":4432,"message":{"id":"1","tag":"01K"}}]"#,
            "From=13125550147&To=13125550100&Text=hi&MessageUUID=u-1&Status=delivered&ErrorCode=000",
            #"{"msisdn":"13125550147","messageId":"0A1","text":"hi","status":"delivered","err-code":"0","client-ref":"01K"}"#,
        ]
        for index in 0..<6_000 {
            var body = Array(seeds[index % seeds.count].utf8)
            for _ in 0..<Int.random(in: 0...6, using: &generator) where !body.isEmpty {
                let at = Int.random(in: 0..<body.count, using: &generator)
                body[at] = Bool.random(using: &generator) ? UInt8.random(in: 0...255, using: &generator) : Array(randomText(&generator, maxLength: 1).utf8).first ?? 0
            }
            if index % 7 == 0 { body = randomBytes(&generator) }
            let route = routes[index % routes.count]
            let request = WebhookRequest(method: .post, target: route.path + "?ref=\(randomText(&generator, maxLength: 8))&to=%2B13125550147",
                                         headers: [:], body: body, remoteAddress: "127.0.0.1")
            do {
                for item in try route.decode(request, "US") {
                    switch item {
                    case .inbound(let message): #expect(message.gatewayID.map { $0.count <= 80 } ?? true)
                    case .report(let report): #expect(report.report.errorCode.map { $0.count <= 80 } ?? true)
                    default: break
                    }
                }
            } catch {
                #expect((400...499).contains(error.status))
            }
        }
    }
}
