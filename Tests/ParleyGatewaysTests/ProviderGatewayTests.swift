import Foundation
import NIOCore
import ParleyCore
import ParleyGateways
import ParleyTestSupport
import Testing

/// Telnyx, Plivo, Vonage and Bandwidth against loopback fakes that follow
/// each API's documented requests, answers and errors: the same contract
/// for each—our id travels with the message, errors map to refused,
/// retryable or in doubt, and an in-doubt send is found again by `lookup`.
@Suite(.serialized) struct ProviderGatewayTests {
    static let id = "01KK9EBHR0H113Z273390AVQ1W"

    /// One provider's fake and adapter, and what the shared tests need to know of it.
    struct Case: @unchecked Sendable, CustomStringConvertible {
        let description: String
        let fake: @Sendable () -> ProviderFake
        let gateway: @Sendable (ProviderFake, TimeAmount, _ rightCredentials: Bool) -> any Gateway
        /// A refusal for one number in the provider's shape, and the code Parley should report.
        let refusal: (status: Int, body: [String: Any], code: String)
        /// Where our id shows in the request the provider received.
        let carriesOurID: @Sendable (ProviderFake.Created) -> Bool
        let credentialsNamed: String
    }

    static let cases: [Case] = [
        Case(description: "telnyx", fake: { TelnyxFake() }, gateway: { fake, timeout, right in
            TelnyxGateway(apiKey: right ? (fake as! TelnyxFake).apiKey : "wrong", apiBaseURL: fake.baseURL, publicBaseURL: "https://hooks.example.com",
                          timeout: timeout)
        }, refusal: (400, TelnyxFake.error("40310", "Invalid 'to' address"), "40310"), carriesOurID: {
            $0.headers["idempotency-key"] == id && ($0.request["webhook_url"] as? String) == "https://hooks.example.com/telnyx/status?ref=\(id)&to=%2B13125550147"
        }, credentialsNamed: "PARLEY_TELNYX_API_KEY"),
        Case(description: "plivo", fake: { PlivoFake() }, gateway: { fake, timeout, right in
            let plivo = fake as! PlivoFake
            return PlivoGateway(authID: plivo.authID, authToken: right ? plivo.authToken : "wrong", apiBaseURL: fake.baseURL,
                                publicBaseURL: "https://hooks.example.com", timeout: timeout)
        }, refusal: (400, PlivoFake.error("invalid dst number"), "400"), carriesOurID: {
            ($0.request["url"] as? String) == "https://hooks.example.com/plivo/status?ref=\(id)&to=%2B13125550147"
        }, credentialsNamed: "PARLEY_PLIVO_AUTH_TOKEN"),
        Case(description: "vonage", fake: { VonageFake() }, gateway: { fake, timeout, right in
            let vonage = fake as! VonageFake
            return VonageGateway(apiKey: vonage.apiKey, apiSecret: right ? vonage.apiSecret : "wrong", restBaseURL: fake.baseURL,
                                 reportsBaseURL: fake.baseURL, publicBaseURL: "https://hooks.example.com", timeout: timeout)
        }, refusal: (200, VonageFake.error("7", "Number barred."), "7"), carriesOurID: {
            ($0.request["client-ref"] as? String) == id && ($0.request["callback"] as? String)?.contains("ref=\(id)") == true
        }, credentialsNamed: "Vonage refused the account (4)"),
        Case(description: "bandwidth", fake: { BandwidthFake() }, gateway: { fake, timeout, right in
            let bandwidth = fake as! BandwidthFake
            return BandwidthGateway(accountID: bandwidth.accountID, applicationID: bandwidth.applicationID, username: bandwidth.username,
                                    password: right ? bandwidth.password : "wrong", apiBaseURL: fake.baseURL, timeout: timeout)
        }, refusal: (400, BandwidthFake.error("request-validation", "Your request could not be accepted"), "request-validation"), carriesOurID: {
            ($0.request["tag"] as? String) == id
        }, credentialsNamed: "PARLEY_BANDWIDTH_PASSWORD"),
    ]

    /// Vonage and Plivo write numbers without the `+`; the fakes keep what they were sent.
    static func number(_ e164: String, for provider: String) -> String { provider == "vonage" ? String(e164.dropFirst()) : e164 }

    func submission(_ to: String, body: String = "Hi - Bright Smile Dental", id: String = Self.id) throws -> Submission {
        Submission(id: id, from: try PhoneNumber.parse("+13125550100"), to: try PhoneNumber.parse(to), body: body, segments: SegmentCount(body))
    }


    func with(_ provider: Case, timeout: TimeAmount = .seconds(20), _ body: (ProviderFake, any Gateway) async throws -> Void) async throws {
        let fake = provider.fake()
        try await fake.start()
        defer { fake.stop() }
        try await body(fake, provider.gateway(fake, timeout, true))
    }

    @Test(arguments: cases) func createsAMessageCarryingOurID(_ provider: Case) async throws {
        try await with(provider) { fake, gateway in
            let receipt = try await gateway.submit(submission("+13125550147", body: "Café at 3? – Bright Smile Dental"))
            let created = try #require(fake.created.first)
            #expect(receipt.status == .queued)
            #expect(receipt.gatewayID == created.id)
            #expect(created.to == Self.number("+13125550147", for: provider.description))
            #expect(created.body == "Café at 3? – Bright Smile Dental")
            #expect(provider.carriesOurID(created))
            #expect(receipt.report.raw?.isEmpty == false)
        }
    }

    @Test(arguments: cases) func mapsErrorsToRefusedRetryableOrMisconfigured(_ provider: Case) async throws {
        try await with(provider) { fake, gateway in
            let refused = Self.number("+13125550111", for: provider.description), busy = Self.number("+13125550133", for: provider.description)
            fake.behave(.error(status: provider.refusal.status, body: provider.refusal.body), for: refused)
            fake.behave(.unavailable(times: 5), for: busy)
            let invalid = try submission("+13125550111"), limited = try submission("+13125550133")
            guard case .rejected(let code, _, let raw)? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await gateway.submit(invalid) })
            else { Issue.record("expected a refusal"); return }
            #expect(code == provider.refusal.code)
            #expect(raw?.isEmpty == false)
            let busyError = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await gateway.submit(limited) })
            guard case .unavailable? = busyError else { Issue.record("expected unavailable, got \(String(describing: busyError))"); return }
            let wrong = provider.gateway(fake, .seconds(20), false)
            let any = try submission("+13125550147")
            guard case .misconfigured(let text)? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await wrong.submit(any) })
            else { Issue.record("expected misconfigured"); return }
            #expect(text.contains(provider.credentialsNamed))
            #expect(fake.created.isEmpty)
        }
    }

    @Test(arguments: cases) func aTimeoutIsInDoubtAndTheLookUpFindsItOrSaysItIsNotThere(_ provider: Case) async throws {
        try await with(provider, timeout: .seconds(2)) { fake, gateway in
            fake.behave(.slow(seconds: 4), for: Self.number("+13125550147", for: provider.description))
            let slow = try submission("+13125550147")
            guard case .ambiguous? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await gateway.submit(slow) }) else {
                Issue.record("expected in doubt"); return
            }
            #expect(fake.created.count == 1)
            let found = try await gateway.lookup(slow, submittedAfter: Date())
            guard case .found(let receipt) = found else { Issue.record("\(found)"); return }
            #expect(receipt.gatewayID == fake.created[0].id)
            #expect(try await gateway.lookup(submission("+13125550199"), submittedAfter: Date()) == .notFound)
        }
    }

    @Test(arguments: cases) func theLiveCheckAsksTheAccountAndNamesWrongCredentials(_ provider: Case) async throws {
        try await with(provider) { fake, gateway in
            let answer = try await gateway.checkAccount()
            #expect(answer.lowercased().contains(provider.description))
            let wrong = provider.gateway(fake, .seconds(20), false)
            guard case .misconfigured? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await wrong.checkAccount() }) else {
                Issue.record("expected misconfigured"); return
            }
            #expect(fake.created.isEmpty)
        }
    }

    @Test func telnyxReplaysARetriedRequestAndReportsACarrierOptOut() async throws {
        try await with(Self.cases[0]) { fake, gateway in
            let first = try await gateway.submit(submission("+13125550147"))
            let again = try await gateway.submit(submission("+13125550147"))
            #expect(first.gatewayID == again.gatewayID)
            #expect(fake.created.count == 1)
            fake.behave(.error(status: 400, body: TelnyxFake.error("40300", "Blocked due to STOP message")), for: "+13125550122")
            let stopped = try submission("+13125550122", id: "01KK9EBHR0H113Z273390AVQ2X")
            guard case .recipientOptedOut(let code, _, _)? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await gateway.submit(stopped) })
            else { Issue.record("expected an opt-out"); return }
            #expect(code == "40300")
            // The same key with another request is Telnyx's 422, a refusal: nothing was sent twice.
            let reused = try submission("+13125550147", body: "Something else")
            guard case .rejected? = await gatewayFailure(of: { () async throws(GatewayError) in _ = try await gateway.submit(reused) }) else {
                Issue.record("expected a refusal"); return
            }
            #expect(fake.created.count == 1)
        }
    }

    @Test func plivoAndBandwidthCannotTellTwoMessagesToOneNumberApart() async throws {
        for provider in [Self.cases[1], Self.cases[3]] {
            try await with(provider) { _, gateway in
                _ = try await gateway.submit(submission("+13125550147", body: "One"))
                _ = try await gateway.submit(submission("+13125550147", body: "Two"))
                guard case .unknown(let reason) = try await gateway.lookup(submission("+13125550147"), submittedAfter: Date()) else {
                    Issue.record("expected unknown for \(provider)"); return
                }
                #expect(reason.contains("2 messages"))
            }
        }
    }

    @Test func statusesOnlyMoveForwardForEveryProvider() {
        #expect(TelnyxStatus.normalized("delivery_failed") == .undelivered && TelnyxStatus.normalized("sending_failed") == .failed)
        #expect(PlivoStatus.normalized("rejected") == .failed && PlivoStatus.normalized("undelivered") == .undelivered)
        #expect(VonageStatus.normalized("expired") == .undelivered && VonageStatus.normalized("accepted") == .queued)
        #expect(BandwidthStatus.normalized("message-delivered") == .delivered && BandwidthStatus.normalized("message-received") == nil)
        #expect(TelnyxStatus.normalized("something-new") == nil)
    }
}
