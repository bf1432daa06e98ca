import Crypto
import Foundation
import ParleyGateways

/// What authenticating one webhook costs, per provider: a valid request
/// built once, then `authenticate` called over and over on one core—the
/// signature check every request pays before anything is read (Ed25519
/// for Telnyx, HMACs for Twilio, Plivo and Vonage, a constant-time
/// compare for Bandwidth and Kannel).
struct SignatureBench {
    let rounds: Int

    func run() -> [(String, String)] {
        let base = "https://hooks.bench.example"
        let form = [("MessageSid", "SM0123456789abcdef0123456789abcdef"), ("From", "+13125550147"), ("To", "+13125550100"),
                    ("Body", "Can I move my cleaning to Thursday at 3:30? Thanks!"), ("NumMedia", "0")]
        let body = Array(FormEncoding.encode(form).utf8)
        let now = Int(Date().timeIntervalSince1970)
        var cases: [(String, any WebhookProvider, WebhookRequest)] = []

        let twilio = TwilioWebhooks(authToken: "bench-token", publicBaseURL: base)
        cases.append(("Twilio (HMAC-SHA1)", twilio, request("/twilio/inbound", body, [
            "x-twilio-signature": TwilioSignature.compute(url: base + "/twilio/inbound", parameters: form, authToken: "bench-token")])))

        let key = Curve25519.Signing.PrivateKey()
        let json = Array(#"{"data":{"event_type":"message.received","payload":{"id":"b301ed3f","text":"Can I move it?"}}}"#.utf8)
        let signature = (try? key.signature(for: Data("\(now)|".utf8) + Data(json)))?.base64EncodedString() ?? ""
        cases.append(("Telnyx (Ed25519)", TelnyxWebhooks(publicKey: key.publicKey.rawRepresentation.base64EncodedString(), clock: .system),
                      request("/telnyx/inbound", json, ["telnyx-signature-ed25519": signature, "telnyx-timestamp": String(now)])))

        let plivo = PlivoSignature.compute(method: "POST", url: base + "/plivo/inbound", parameters: form, nonce: "12345678",
                                           authToken: "bench-token")
        cases.append(("Plivo (HMAC-SHA256 V3)", PlivoWebhooks(authToken: "bench-token", publicBaseURL: base), request("/plivo/inbound", body, [
            "x-plivo-signature-v3": plivo, "x-plivo-signature-v3-nonce": "12345678"])))

        let signed = form + [("timestamp", String(now)), ("nonce", "n0")]
        let vonageQuery = FormEncoding.encode(signed + [("sig", VonageSignature.compute(signed, secret: "bench-secret", method: .sha256))])
        cases.append(("Vonage (HMAC-SHA256)", VonageWebhooks(signatureSecret: "bench-secret", method: "sha256", clock: .system),
                      WebhookRequest(method: .get, target: "/vonage/inbound?" + vonageQuery, headers: [:], body: [], remoteAddress: "127.0.0.1")))

        cases.append(("Bandwidth (Basic)", BandwidthWebhooks(username: "bw", password: "bench-password"), request("/bandwidth/callbacks", json, [
            "authorization": "Basic " + Data("bw:bench-password".utf8).base64EncodedString()])))
        cases.append(("Kannel (secret + address)", KannelWebhooks(secret: "bench-secret"),
                      WebhookRequest(method: .post, target: "/kannel/inbound?k=bench-secret&from=%2B13125550147", headers: [:], body: body,
                                     remoteAddress: "127.0.0.1")))

        return cases.map { name, provider, request in
            guard provider.authenticate(request) == nil else { return (name, "the bench's request was refused") }
            let clock = ContinuousClock()
            let elapsed = clock.measure { for _ in 0..<rounds { _ = provider.authenticate(request) } }
            let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
            return ("authenticate one webhook, \(name)", String(format: "%.1f µs (%d checks)", micros / Double(rounds), rounds))
        }
    }

    private func request(_ path: String, _ body: [UInt8], _ headers: [String: String]) -> WebhookRequest {
        WebhookRequest(method: .post, target: path, headers: headers, body: body, remoteAddress: "127.0.0.1")
    }
}
