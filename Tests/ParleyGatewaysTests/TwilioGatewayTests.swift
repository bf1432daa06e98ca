import Foundation
import NIOCore
import ParleyCore
import ParleyGateways
import ParleyTestSupport
import Testing

/// The Twilio adapter against a loopback fake that speaks Twilio's API.
@Suite(.serialized) struct TwilioGatewayTests {
    func submission(_ to: String, body: String = "Hi - Bright Smile Dental") throws -> Submission {
        Submission(id: "01KK9EBHR0H113Z273390AVQ1W", from: try PhoneNumber.parse("+13125550100"), to: try PhoneNumber.parse(to), body: body, segments: SegmentCount(body))
    }

    /// The timeout is short only where a test makes the fake slower than it.
    func withFake(timeout: TimeAmount = .seconds(20), _ body: (TwilioFake, TwilioGateway) async throws -> Void) async throws {
        let fake = TwilioFake()
        try await fake.start()
        defer { fake.stop() }
        let gateway = TwilioGateway(accountSID: fake.accountSID, authToken: fake.authToken, apiBaseURL: fake.baseURL,
                                    publicBaseURL: "https://hooks.example.com", timeout: timeout)
        try await body(fake, gateway)
    }

    @Test func createsAMessageWithTheStatusCallbackCarryingOurId() async throws {
        try await withFake { fake, gateway in
            let receipt = try await gateway.submit(submission("+13125550147"))
            #expect(receipt.status == .queued)
            #expect(receipt.gatewayID?.hasPrefix("SM") == true)
            #expect(receipt.segments == 1)
            #expect(receipt.report.raw?.contains("\"sid\":\"\(receipt.gatewayID!)\"") == true)
            #expect(fake.created.first?.statusCallback == "https://hooks.example.com/twilio/status?ref=01KK9EBHR0H113Z273390AVQ1W&to=%2B13125550147")
        }
    }


    @Test func mapsErrorsToRefusedRetryableOrOptedOut() async throws {
        try await withFake { fake, gateway in
            fake.behave(.error(status: 400, code: 21211, message: "The 'To' number is not a valid phone number."), for: "+13125550111")
            fake.behave(.error(status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient"), for: "+13125550122")
            fake.behave(.error(status: 429, code: 20429, message: "Too Many Requests"), for: "+13125550133")
            let invalid = try submission("+13125550111"), unsubscribed = try submission("+13125550122"), limited = try submission("+13125550133")
            guard case .rejected(let code, let message, let raw)? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await gateway.submit(invalid) }) else {
                Issue.record("expected a refusal"); return
            }
            #expect(code == "21211")
            #expect(message == "The 'To' number is not a valid phone number.")
            #expect(raw?.contains("\"more_info\"") == true)
            guard case .recipientOptedOut(let optOutCode, _, _)? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await gateway.submit(unsubscribed) }) else {
                Issue.record("expected an opt-out"); return
            }
            #expect(optOutCode == "21610")
            guard case .unavailable(_, let retryAfter)? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await gateway.submit(limited) }) else {
                Issue.record("expected unavailable"); return
            }
            #expect(retryAfter == 1)
            let wrong = TwilioGateway(accountSID: fake.accountSID, authToken: "wrong", apiBaseURL: fake.baseURL, publicBaseURL: nil)
            let any = try submission("+13125550147")
            guard case .misconfigured(let text)? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await wrong.submit(any) }) else {
                Issue.record("expected misconfigured"); return
            }
            #expect(text.contains("PARLEY_TWILIO_AUTH_TOKEN"))
        }
    }

    @Test func aTimeoutAfterTheRequestIsInDoubtAndTheLookUpFindsIt() async throws {
        try await withFake(timeout: .seconds(2)) { fake, gateway in
            fake.behave(.slow(seconds: 4), for: "+13125550147")
            let slow = try submission("+13125550147")
            guard case .ambiguous? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await gateway.submit(slow) }) else {
                Issue.record("expected in doubt"); return
            }
            #expect(fake.created.count == 1)
            let found = try await gateway.lookup(submission("+13125550147"), submittedAfter: Date())
            guard case .found(let receipt) = found else { Issue.record("\(found)"); return }
            #expect(receipt.gatewayID == fake.created[0].sid)
            #expect(try await gateway.lookup(submission("+13125550199"), submittedAfter: Date()) == .notFound)
        }
    }

    @Test func aRefusedConnectionIsUnavailableNotInDoubt() async throws {
        let gateway = TwilioGateway(accountSID: "AC1", authToken: "t", apiBaseURL: "http://127.0.0.1:\(Peers.freePort())", publicBaseURL: nil)
        let any = try submission("+13125550147")
        guard case .unavailable? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await gateway.submit(any) }) else {
            Issue.record("expected unavailable"); return
        }
    }

    @Test func statusesOnlyMoveForward() {
        #expect(TwilioStatus.normalized("accepted") == .queued)
        #expect(TwilioStatus.normalized("sending") == .queued)
        #expect(TwilioStatus.normalized("sent") == .sent)
        #expect(TwilioStatus.normalized("delivered") == .delivered)
        #expect(TwilioStatus.normalized("undelivered") == .undelivered)
        #expect(TwilioStatus.normalized("canceled") == .failed)
        #expect(TwilioStatus.normalized("something-new") == nil)
        #expect(KannelDLR.normalized(1) == .delivered)
        #expect(KannelDLR.normalized(8) == .sent)
        #expect(KannelDLR.normalized(16) == .failed)
        #expect(KannelDLR.normalized(3) == nil)
    }

    @Test func secretsMustNotBeInTheConfigurationAndTheCredentialsFileMustBePrivate() throws {
        var config = MailboxConfig(businessName: "B", businessNumber: try PhoneNumber.parse("+13125550100"), timeZone: "America/Chicago")
        config.gateway = .init(provider: "twilio", settings: ["account_sid": "AC1", "auth_token": "oops"])
        #expect(throws: ParleyError.self) { try GatewayFactory.make(config, credentials: Credentials(values: [:])) }
        config.gateway = .init(provider: "twilio", settings: ["account_sid": "AC1"])
        #expect(throws: ParleyError.self) { try GatewayFactory.make(config, credentials: Credentials(values: [:])) }
        #expect(try GatewayFactory.make(config, credentials: Credentials(values: ["PARLEY_TWILIO_AUTH_TOKEN": "t"])).name == "twilio")
        let directory = TemporaryDirectory("credentials")
        try directory.write("credentials", "# secrets\nPARLEY_TWILIO_AUTH_TOKEN = from-file\n")
        chmod(directory.file("credentials"), 0o644)
        #expect(throws: ParleyError.self) { try Credentials.load(environment: ["PARLEY_CREDENTIALS_FILE": directory.file("credentials")], repositoryRoot: nil) }
        chmod(directory.file("credentials"), 0o600)
        let loaded = try Credentials.load(environment: ["PARLEY_CREDENTIALS_FILE": directory.file("credentials")], repositoryRoot: nil)
        #expect(loaded["PARLEY_TWILIO_AUTH_TOKEN"] == "from-file")
        #expect(throws: ParleyError.self) { try Credentials.load(environment: ["PARLEY_CREDENTIALS_FILE": directory.file("credentials")], repositoryRoot: directory.path) }
    }
}
