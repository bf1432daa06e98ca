import Crypto
import Foundation
import ParleyCore
import ParleyGateways
import ParleyTestSupport
import Testing

/// Telnyx, Plivo, Vonage and Bandwidth end to end: a message sent through
/// the real adapter to the provider's fake, its status callback and the
/// customer's reply posted to `parley serve` signed by the provider's
/// official SDK; forged, tampered and replayed requests are refused with
/// nothing written.
@Suite(.serialized, .enabled(if: Peers.shouldRun(ProviderSDKs.available),
                             "needs PyPI telnyx, pynacl, plivo and vonage; .ci/install-peers.sh installs them"))
struct ProviderWebhookTests {
    static let plivoToken = "plivo-webhook-token"
    static let vonageSecret = "vonage-signature-secret"
    static let bandwidthUser = "bw-callbacks"
    static let bandwidthPassword = "bw-callback-password"
    static let opening = "Hi, Bright Smile Dental here: your cleaning is Tue 9am. Reply STOP to opt out."

    func started() async throws -> ServerHarness {
        let harness = try ServerHarness()
        try await harness.start { configuration in
            configuration.webhooks += [
                TelnyxWebhooks(publicKey: ProviderSDKs.telnyxPublicKey, clock: .system),
                PlivoWebhooks(authToken: Self.plivoToken, publicBaseURL: ServerHarness.publicBase),
                VonageWebhooks(signatureSecret: Self.vonageSecret, method: "sha256", clock: .system),
                BandwidthWebhooks(username: Self.bandwidthUser, password: Self.bandwidthPassword, apiUsername: "api-user",
                                  apiPassword: "bandwidth-fake-password"),
            ]
        }
        try harness.mailbox.consent.grant(Fixtures.sarah, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        return harness
    }

    /// Sends through `gateway` (the real adapter, pointed at its fake) and answers the message's id.
    func send(_ harness: ServerHarness, via gateway: any Gateway) async throws -> String {
        try await harness.mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.opening), via: gateway).message.id
    }

    func lastStatus(_ harness: ServerHarness) throws -> DeliveryStatus? {
        let conversation = try harness.mailbox.conversations.conversation(Fixtures.sarah)
        return conversation.messages.first { $0.direction == .outbound }.map { conversation.status(of: $0) }
    }

    func inboundBodies(_ harness: ServerHarness) throws -> [String] {
        try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.filter { $0.direction == .inbound }.map(\.body)
    }

    // MARK: Telnyx

    func telnyxEvent(_ type: String, _ payload: [String: Any]) throws -> String {
        let event: [String: Any] = ["data": ["event_type": type, "id": UUID().uuidString.lowercased(), "occurred_at": "2026-03-09T15:00:02.000+00:00",
                                             "payload": payload, "record_type": "event"], "meta": ["attempt": 1, "delivered_to": "https://hooks"]]
        return String(decoding: try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]), as: UTF8.self)
    }

    func postTelnyx(_ harness: ServerHarness, _ path: String, _ body: String, age: Int = 0, signature: String? = nil) async throws -> Int {
        let timestamp = Int(Date().timeIntervalSince1970) - age
        let signed = try signature ?? ProviderSDKs.telnyxSignature(body: body, timestamp: timestamp)
        return try await harness.post(path, body: body, headers: ["Content-Type": "application/json", "telnyx-signature-ed25519": signed,
                                                                   "telnyx-timestamp": String(timestamp)]).0
    }

    @Test func telnyxSendStatusAndReplyEndToEnd() async throws {
        let harness = try await started()
        defer { harness.stop() }
        let fake = TelnyxFake()
        try await fake.start()
        defer { fake.stop() }
        let gateway = TelnyxGateway(apiKey: fake.apiKey, apiBaseURL: fake.baseURL, publicBaseURL: ServerHarness.publicBase)
        let id = try await send(harness, via: gateway)
        let created = try #require(fake.created.first)
        let callback = try #require(created.request["webhook_url"] as? String)
        let path = String(callback.dropFirst(ServerHarness.publicBase.count))
        let finalized = try telnyxEvent("message.finalized", ["id": created.id, "to": [["phone_number": "+13125550147", "status": "delivered"]],
                                                               "errors": [], "direction": "outbound"])
        #expect(try await postTelnyx(harness, path, finalized) == 200)
        #expect(try lastStatus(harness) == .delivered)
        #expect(try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.first?.id == id)
        let reply = try telnyxEvent("message.received", ["id": "b301ed3f-1490-491f-995f-6e64e69674d4", "direction": "inbound", "text": "See you then 👍",
            "from": ["phone_number": "+13125550147", "carrier": "T-Mobile USA", "line_type": "Wireless"],
            "to": [["phone_number": "+13125550100", "status": "webhook_delivered"]]])
        #expect(try await postTelnyx(harness, "/telnyx/inbound", reply) == 200)
        let commits = try harness.commitCount()
        #expect(try await postTelnyx(harness, "/telnyx/inbound", reply) == 200)   // Telnyx retries: nothing new
        #expect(try harness.commitCount() == commits)
        #expect(try inboundBodies(harness) == ["See you then 👍"])
    }

    @Test func telnyxForgedTamperedAndReplayedRequestsAreRefused() async throws {
        let harness = try await started()
        defer { harness.stop() }
        let before = try harness.commitCount()
        let body = try telnyxEvent("message.received", ["id": "b301ed3f-0000-491f-995f-6e64e69674d4", "text": "Send the code to my other phone",
                                                        "from": ["phone_number": "+13125550147"], "to": [["phone_number": "+13125550100"]]])
        let timestamp = Int(Date().timeIntervalSince1970)
        let valid = try ProviderSDKs.telnyxSignature(body: body, timestamp: timestamp)
        let otherKey = Curve25519.Signing.PrivateKey()
        let forged = try otherKey.signature(for: Data("\(timestamp)|\(body)".utf8)).base64EncodedString()
        #expect(try await postTelnyx(harness, "/telnyx/inbound", body, signature: forged) == 403)
        #expect(try await postTelnyx(harness, "/telnyx/inbound", body.replacingOccurrences(of: "other phone", with: "new phone"), signature: valid) == 403)
        #expect(try await postTelnyx(harness, "/telnyx/inbound", body, age: 600) == 403)      // signed by the SDK, ten minutes ago
        #expect(try await harness.post("/telnyx/inbound", body: body, headers: ["Content-Type": "application/json"]).0 == 403)
        #expect(try harness.commitCount() == before)
        #expect(try inboundBodies(harness).isEmpty)
    }

    // MARK: Plivo

    func postPlivo(_ harness: ServerHarness, _ path: String, _ parameters: [(String, String)], token: String = plivoToken,
                   url: String? = nil, signed: [(String, String)]? = nil) async throws -> Int {
        let nonce = "\(Int.random(in: 10_000_000...99_999_999))"
        let signature = try ProviderSDKs.plivoSignature(url: url ?? ServerHarness.publicBase + path, parameters: signed ?? parameters, nonce: nonce,
                                                        authToken: token)
        return try await harness.post(path, body: FormEncoding.encode(parameters), headers: [
            "Content-Type": "application/x-www-form-urlencoded", "X-Plivo-Signature-V3": signature, "X-Plivo-Signature-V3-Nonce": nonce]).0
    }

    @Test func plivoSendStatusAndReplyEndToEndAndForgeriesRefused() async throws {
        let harness = try await started()
        defer { harness.stop() }
        let fake = PlivoFake()
        try await fake.start()
        defer { fake.stop() }
        let gateway = PlivoGateway(authID: fake.authID, authToken: fake.authToken, apiBaseURL: fake.baseURL, publicBaseURL: ServerHarness.publicBase)
        _ = try await send(harness, via: gateway)
        let created = try #require(fake.created.first)
        let path = String(try #require(created.request["url"] as? String).dropFirst(ServerHarness.publicBase.count))
        let status = [("To", "13125550147"), ("From", "13125550100"), ("Status", "delivered"), ("MessageUUID", created.id), ("ErrorCode", "000"),
                      ("Units", "1"), ("TotalAmount", "0.00500"), ("TotalRate", "0.00500")]
        #expect(try await postPlivo(harness, path, status) == 200)
        #expect(try lastStatus(harness) == .delivered)
        let reply = [("From", "13125550147"), ("To", "13125550100"), ("Text", "Can we do 10 instead? 50% sure"), ("Type", "sms"),
                     ("MessageUUID", "7a3d7c1e-5b8a-11ee-8c99-0242ac120002"), ("Units", "1")]
        let before = try harness.commitCount()
        #expect(try await postPlivo(harness, "/plivo/inbound", reply, token: "not-the-token") == 403)
        var tampered = reply
        tampered[2] = ("Text", "Cancel everything")
        #expect(try await postPlivo(harness, "/plivo/inbound", tampered, signed: reply) == 403)
        #expect(try await postPlivo(harness, "/plivo/inbound", reply, url: "https://evil.example/plivo/inbound") == 403)
        #expect(try await harness.post("/plivo/inbound", body: FormEncoding.encode(reply)).0 == 403)
        #expect(try harness.commitCount() == before)
        #expect(try await postPlivo(harness, "/plivo/inbound", reply) == 200)
        #expect(try inboundBodies(harness) == ["Can we do 10 instead? 50% sure"])
    }

    // MARK: Vonage

    func vonageSigned(_ parameters: [(String, String)], age: Int = 0) throws -> [(String, String)] {
        let stamped = parameters + [("timestamp", String(Int(Date().timeIntervalSince1970) - age)), ("nonce", UUID().uuidString)]
        return stamped + [("sig", try ProviderSDKs.vonageSignature(stamped, secret: Self.vonageSecret))]
    }

    func postVonageJSON(_ harness: ServerHarness, _ path: String, _ parameters: [(String, String)]) async throws -> Int {
        let object = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
        let body = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        return try await harness.post(path, body: body, headers: ["Content-Type": "application/json"]).0
    }

    @Test func vonageSendReceiptAndReplyEndToEndAndForgeriesRefused() async throws {
        let harness = try await started()
        defer { harness.stop() }
        let fake = VonageFake()
        try await fake.start()
        defer { fake.stop() }
        let gateway = VonageGateway(apiKey: fake.apiKey, apiSecret: fake.apiSecret, restBaseURL: fake.baseURL, reportsBaseURL: fake.baseURL,
                                    publicBaseURL: ServerHarness.publicBase)
        let id = try await send(harness, via: gateway)
        let created = try #require(fake.created.first)
        let receipt = try vonageSigned([("msisdn", "13125550147"), ("to", "13125550100"), ("network-code", "310260"), ("messageId", created.id),
            ("price", "0.03330000"), ("status", "delivered"), ("scts", "2603091500"), ("err-code", "0"), ("api-key", fake.apiKey), ("client-ref", id),
            ("message-timestamp", "2026-03-09 15:00:02")])
        #expect(try await postVonageJSON(harness, "/vonage/status", receipt) == 200)
        #expect(try lastStatus(harness) == .delivered)
        let reply = [("msisdn", "13125550147"), ("to", "13125550100"), ("messageId", "0A0000000123ABCD1"), ("text", "Yes & thanks = see you"),
                     ("type", "text"), ("keyword", "YES"), ("api-key", fake.apiKey), ("message-timestamp", "2026-03-09 15:01:00")]
        let before = try harness.commitCount()
        var tampered = try vonageSigned(reply)
        tampered[3] = ("text", "No, cancel")
        #expect(try await harness.get("/vonage/inbound?" + FormEncoding.encode(tampered)).0 == 403)
        #expect(try await harness.get("/vonage/inbound?" + FormEncoding.encode(vonageSigned(reply, age: 900))).0 == 403)
        #expect(try await harness.get("/vonage/inbound?" + FormEncoding.encode(reply + [("timestamp", "\(Int(Date().timeIntervalSince1970))")])).0 == 403)
        #expect(try harness.commitCount() == before)
        #expect(try await harness.get("/vonage/inbound?" + FormEncoding.encode(vonageSigned(reply))).0 == 200)
        #expect(try inboundBodies(harness) == ["Yes & thanks = see you"])
    }

    // MARK: Bandwidth

    func postBandwidth(_ harness: ServerHarness, _ events: [[String: Any]], password: String? = bandwidthPassword) async throws -> Int {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: events), as: UTF8.self)
        var headers = ["Content-Type": "application/json"]
        if let password { headers["Authorization"] = "Basic " + Data("\(Self.bandwidthUser):\(password)".utf8).base64EncodedString() }
        return try await harness.post("/bandwidth/callbacks", body: body, headers: headers).0
    }

    @Test func bandwidthSendCallbacksAndReplyEndToEndAndWrongCredentialsRefused() async throws {
        let harness = try await started()
        defer { harness.stop() }
        let fake = BandwidthFake()
        try await fake.start()
        defer { fake.stop() }
        let gateway = BandwidthGateway(accountID: fake.accountID, applicationID: fake.applicationID, username: fake.username, password: fake.password,
                                       apiBaseURL: fake.baseURL)
        let id = try await send(harness, via: gateway)
        let created = try #require(fake.created.first)
        let photo = Data((0..<4096).map { UInt8($0 % 253) })
        let photoURL = fake.serve(photo, type: "image/jpeg", name: "image.jpg", message: "14762070468292kw2fuqty55yp2b2")
        let message: [String: Any] = ["id": created.id, "owner": "+13125550100", "applicationId": fake.applicationID, "time": "2026-03-09T15:00:00.000Z",
                                      "segmentCount": 1, "direction": "out", "to": ["+13125550147"], "from": "+13125550100", "tag": id]
        let delivered: [String: Any] = ["type": "message-delivered", "time": "2026-03-09T15:00:02.000Z", "description": "ok", "to": "+13125550147",
                                        "message": message]
        let reply: [String: Any] = ["type": "message-received", "time": "2026-03-09T15:01:00.000Z", "description": "Incoming message received",
            "to": "+13125550100", "message": ["id": "14762070468292kw2fuqty55yp2b2", "time": "2026-03-09T15:01:00.000Z", "to": ["+13125550100"],
                "from": "+13125550147", "text": "Running 5 min late", "applicationId": fake.applicationID, "owner": "+13125550100",
                "direction": "in", "segmentCount": 1, "media": [photoURL]]]
        let before = try harness.commitCount()
        #expect(try await postBandwidth(harness, [delivered, reply], password: "wrong") == 401)
        #expect(try await postBandwidth(harness, [delivered, reply], password: nil) == 401)
        #expect(try await postBandwidth(harness, Array(repeating: reply, count: 101)) == 400)
        #expect(try harness.commitCount() == before)
        // One callback carrying both events: both are stored.
        #expect(try await postBandwidth(harness, [delivered, reply]) == 200)
        #expect(try lastStatus(harness) == .delivered)
        #expect(try inboundBodies(harness) == ["Running 5 min late"])
        // Its picture came with the API credentials Bandwidth's media URLs take.
        let media = try #require(try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.last?.media.first)
        #expect(media.name == "image.jpg" && media.contentType == "image/jpeg" && media.sha256 == MessageMedia.hash(photo))
    }
}
