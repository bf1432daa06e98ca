import Foundation
import ParleyCore

/// Kannel's MO callback (`get-url`/`post-url`) and delivery reports
/// (`dlr-url`). A request is Kannel's when it comes from an allowed address
/// and carries the per-install secret `k=` Parley put in the URLs.
public struct KannelWebhooks: WebhookProvider {
    public let name = "kannel"
    public var proof: String { "the install's secret (k=…) from an allowed address (gateway.callback_addresses)" }
    let secret: String?
    let allowlist: AddressAllowlist

    /// Nil `secret` refuses every request with 503; an address that is not
    /// an IP address allows nobody (`parley serve` checks them first).
    public init(secret: String?, allowedAddresses: [String] = ["127.0.0.1", "::1"]) {
        self.secret = secret
        allowlist = AddressAllowlist(allowedAddresses) ?? AddressAllowlist([String]())!
    }

    public var routes: [WebhookRoute] {
        [WebhookRoute([.post], "/kannel/inbound", decode: Self.inbound), WebhookRoute([.get, .post], "/kannel/dlr", decode: Self.deliveryReport)]
    }

    public var notConfigured: String? { secret == nil ? "Kannel webhooks are refused: no PARLEY_KANNEL_WEBHOOK_SECRET" : nil }

    public func authenticate(_ request: WebhookRequest) -> WebhookRefusal? {
        guard let secret else { return WebhookRefusal(status: 503, notConfigured ?? "not configured") }
        guard allowlist.contains(request.remoteAddress) else {
            return WebhookRefusal(status: 403, "address not allowed", log: "refused a Kannel callback from an address not on the allowlist")
        }
        let secrets = FormEncoding.decode(request.query).filter { $0.0 == "k" }
        guard secrets.count == 1, ConstantTime.equal(secrets[0].1, secret) else {
            return WebhookRefusal(status: 403, "wrong secret", log: "refused a Kannel callback with a wrong secret")
        }
        return nil
    }

    static func inbound(_ request: WebhookRequest, defaultRegion: String) throws(WebhookRefusal) -> IngestItem? {
        try WebhookRefusal.reading { () throws(ParleyError) in
            let query = try FormEncoding.fields(FormEncoding.decode(request.query), reading: ["from", "to", "ts", "id", "charset", "coding"])
            guard let from = PhoneNumber.fromCallback(query["from"], defaultRegion) else { throw .invalidInput("from is required") }
            let text = try KannelCallback.text(request.body, contentType: request.header("Content-Type"), charset: query["charset"],
                coding: query["coding"])
            return .inbound(InboundMessage(from: from, to: PhoneNumber.fromCallback(query["to"], defaultRegion), body: text, gateway: "kannel",
                                           gatewayID: query["id"].flatMap { $0.isEmpty ? nil : $0 }, time: try KannelCallback.time(query["ts"])))
        }
    }

    static func deliveryReport(_ request: WebhookRequest, defaultRegion: String) throws(WebhookRefusal) -> IngestItem? {
        let pairs = FormEncoding.decode(request.query)
        return try WebhookRefusal.reading { () throws(ParleyError) in
            let query = try FormEncoding.fields(pairs, reading: ["st", "to", "ts", "ref", "fid", "ans"])
            guard let value = query["st"].flatMap(Int.init), let status = KannelDLR.normalized(value) else {
                throw .invalidInput("st must be a Kannel DLR value (1, 2, 4, 8 or 16)")
            }
            // The secret is dropped, in whatever spelling it came, before anything is stored.
            return .report(StatusReport(
                gateway: "kannel", reference: query["ref"], number: PhoneNumber.fromCallback(query["to"], defaultRegion),
                gatewayID: query["fid"].flatMap { $0.isEmpty ? nil : $0 }, status: status, time: try KannelCallback.time(query["ts"]),
                errorMessage: query["ans"].flatMap { $0.isEmpty ? nil : $0 }, raw: FormEncoding.encode(pairs.filter { $0.0 != "k" })))
        }
    }
}
