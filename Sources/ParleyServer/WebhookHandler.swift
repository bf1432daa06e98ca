import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ParleyCore
import ParleyGateways

/// The provider webhooks: Twilio inbound messages and status callbacks,
/// Kannel inbound messages and delivery reports. Each request is
/// authenticated before anything it carries is read into the repository,
/// and answered 2xx only after its commit is durable.
struct WebhookHandler: Sendable {
    let mailbox: Mailbox
    let queue: IngestQueue
    let configuration: ServerConfiguration
    let logger: Logger
    /// `configuration.kannelAllowedAddresses`, compared by value.
    let kannelAllowlist: AddressAllowlist

    static let emptyTwiML = #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#

    // MARK: Twilio

    static let twilioInboundFields: Set<String> = ["From", "To", "Body", "MessageSid", "SmsSid"]
    static let twilioStatusFields: Set<String> = ["MessageStatus", "SmsStatus", "To", "MessageSid", "ErrorCode"]

    func twilioInbound(_ request: Request, _ context: WebhookContext) async -> Response {
        let parameters: [(String, String)]
        switch await authenticateTwilio(request) {
        case .refused(let response): return response
        case .verified(let values): parameters = values
        }
        let fields: [String: String]
        do { fields = try FormEncoding.fields(parameters, reading: Self.twilioInboundFields) } catch { return refuse(error, path: request.uri.path) }
        guard let fromText = fields["From"], let from = try? PhoneNumber.parse(fromText, defaultRegion: mailbox.config.defaultCountry),
              let sid = fields["MessageSid"] ?? fields["SmsSid"] else {
            return plain(.badRequest, "From and MessageSid are required")
        }
        let to = fields["To"].flatMap { try? PhoneNumber.parse($0, defaultRegion: mailbox.config.defaultCountry) }
        // Signed as sent; normalised only now: a byte order mark is no part of the text.
        var body = fields["Body"] ?? ""
        if body.unicodeScalars.first == "\u{FEFF}" { body.unicodeScalars.removeFirst() }
        let item = IngestItem.inbound(InboundMessage(from: from, to: to, body: body, gateway: "twilio", gatewayID: sid))
        return await ingest(item, path: "/twilio/inbound") { Response(status: .ok, headers: [.contentType: "text/xml"], body: .init(byteBuffer: ByteBuffer(string: Self.emptyTwiML))) }
    }

    func twilioStatus(_ request: Request, _ context: WebhookContext) async -> Response {
        let parameters: [(String, String)]
        switch await authenticateTwilio(request) {
        case .refused(let response): return response
        case .verified(let values): parameters = values
        }
        let fields: [String: String], query: [String: String]
        do {
            fields = try FormEncoding.fields(parameters, reading: Self.twilioStatusFields)
            query = try FormEncoding.fields(FormEncoding.decode(request.uri.query ?? ""), reading: ["to", "ref"])
        } catch {
            return refuse(error, path: request.uri.path)
        }
        guard let statusText = fields["MessageStatus"] ?? fields["SmsStatus"] else { return plain(.badRequest, "MessageStatus is required") }
        guard let status = TwilioStatus.normalized(statusText) else {
            logger.info("ignoring an unknown Twilio status", metadata: ["status": "\(statusText.prefix(40))"])
            return plain(.ok, "")
        }
        let errorCode = fields["ErrorCode"].flatMap { $0.isEmpty ? nil : $0 }
        if let errorCode, !Self.isErrorCode(errorCode) { return plain(.badRequest, "ErrorCode must be up to 16 letters and digits") }
        let number = (query["to"] ?? fields["To"]).flatMap { try? PhoneNumber.parse($0, defaultRegion: mailbox.config.defaultCountry) }
        let report = StatusReport(gateway: "twilio", reference: query["ref"], number: number, gatewayID: fields["MessageSid"], status: status,
                                  errorCode: errorCode, raw: FormEncoding.encode(parameters))
        return await ingest(.report(report), path: "/twilio/status") { plain(.ok, "") }
    }

    static func isErrorCode(_ text: String) -> Bool {
        text.count <= 16 && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }

    /// Checks `X-Twilio-Signature` against the configured public URL and
    /// returns the form parameters, or the response that refuses the request.
    enum TwilioAuthentication {
        case verified([(String, String)])
        case refused(Response)
    }

    private func authenticateTwilio(_ request: Request) async -> TwilioAuthentication {
        guard let token = configuration.twilioAuthToken, let base = configuration.publicBaseURL else {
            return .refused(plain(.serviceUnavailable, "Twilio webhooks are not configured (public_base_url and PARLEY_TWILIO_AUTH_TOKEN)"))
        }
        let body: ByteBuffer
        var request = request
        do {
            body = try await request.collectBody(upTo: configuration.bodyLimit)
        } catch {
            return .refused(plain(.contentTooLarge, "body over \(configuration.bodyLimit) bytes"))
        }
        let parameters = FormEncoding.decode(String(decoding: body.readableBytesView, as: UTF8.self))
        let url = base.trimmingSuffix("/") + request.uri.description
        guard TwilioSignature.isValid(request.headers[.twilioSignature], url: url, parameters: parameters, authToken: token) else {
            logger.warning("refused a Twilio webhook with a missing or wrong signature", metadata: ["path": "\(request.uri.path)"])
            return .refused(plain(.forbidden, "invalid X-Twilio-Signature"))
        }
        return .verified(parameters)
    }

    // MARK: Kannel

    func kannelInbound(_ request: Request, _ context: WebhookContext) async -> Response {
        var request = request
        if let refusal = authenticateKannel(request, context) { return refusal }
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: configuration.bodyLimit) } catch { return plain(.contentTooLarge, "body too large") }
        let item: IngestItem
        do {
            let query = try FormEncoding.fields(FormEncoding.decode(request.uri.query ?? ""), reading: ["from", "to", "ts", "id", "charset", "coding"])
            guard let fromText = query["from"], let from = try? PhoneNumber.parse(fromText, defaultRegion: mailbox.config.defaultCountry) else {
                return plain(.badRequest, "from is required")
            }
            let to = query["to"].flatMap { try? PhoneNumber.parse($0, defaultRegion: mailbox.config.defaultCountry) }
            let text = try KannelCallback.text(Array(body.readableBytesView), contentType: request.headers[.contentType],
                                               charset: query["charset"], coding: query["coding"])
            item = .inbound(InboundMessage(from: from, to: to, body: text, gateway: "kannel", gatewayID: query["id"].flatMap { $0.isEmpty ? nil : $0 },
                                           time: try KannelCallback.time(query["ts"])))
        } catch {
            return refuse(error, path: request.uri.path)
        }
        return await ingest(item, path: "/kannel/inbound") { plain(.ok, "") }
    }

    func kannelDLR(_ request: Request, _ context: WebhookContext) async -> Response {
        if let refusal = authenticateKannel(request, context) { return refusal }
        let pairs = FormEncoding.decode(request.uri.query ?? "")
        let report: StatusReport
        do {
            let query = try FormEncoding.fields(pairs, reading: ["st", "to", "ts", "ref", "fid", "ans"])
            guard let value = query["st"].flatMap(Int.init), let status = KannelDLR.normalized(value) else {
                return plain(.badRequest, "st must be a Kannel DLR value (1, 2, 4, 8 or 16)")
            }
            let number = query["to"].flatMap { try? PhoneNumber.parse($0, defaultRegion: mailbox.config.defaultCountry) }
            // The secret is dropped, in whatever spelling it came, before anything is stored.
            let raw = FormEncoding.encode(pairs.filter { $0.0 != "k" })
            report = StatusReport(gateway: "kannel", reference: query["ref"], number: number, gatewayID: query["fid"].flatMap { $0.isEmpty ? nil : $0 },
                                  status: status, time: try KannelCallback.time(query["ts"]), errorMessage: query["ans"].flatMap { $0.isEmpty ? nil : $0 },
                                  raw: raw)
        } catch {
            return refuse(error, path: request.uri.path)
        }
        return await ingest(.report(report), path: "/kannel/dlr") { plain(.ok, "") }
    }

    /// The secret in the URL and the peer's address, before anything else.
    private func authenticateKannel(_ request: Request, _ context: WebhookContext) -> Response? {
        guard let secret = configuration.kannelSecret else {
            return plain(.serviceUnavailable, "Kannel webhooks are not configured (PARLEY_KANNEL_WEBHOOK_SECRET)")
        }
        let address = context.remoteAddress?.ipAddress
        guard kannelAllowlist.contains(address) else {
            logger.warning("refused a Kannel callback from an address not on the allowlist", metadata: ["address": "\(address ?? "-")"])
            return plain(.forbidden, "address not allowed")
        }
        let secrets = FormEncoding.decode(request.uri.query ?? "").filter { $0.0 == "k" }
        guard secrets.count == 1, constantTimeEqual(secrets[0].1, secret) else {
            logger.warning("refused a Kannel callback with a wrong secret", metadata: ["path": "\(request.uri.path)"])
            return plain(.forbidden, "wrong secret")
        }
        return nil
    }

    // MARK: Shared

    /// Queues the item for the next group commit and answers when it is durable.
    private func ingest(_ item: IngestItem, path: String, success: () -> Response) async -> Response {
        do {
            let outcome = try await queue.submit(item)
            if case .rejected(let error) = outcome {
                logger.notice("refused a webhook", metadata: ["path": "\(path)", "problem": "\(error)"])
                return plain(.badRequest, error.description)
            }
            logger.info("webhook processed", metadata: ["path": "\(path)", "outcome": "\(outcome.summary)"])
            return success()
        } catch {
            logger.error("could not store a webhook; answering 500 so the provider retries", metadata: ["path": "\(path)", "problem": "\(error)"])
            return plain(.internalServerError, "not stored; retry")
        }
    }

    /// 400 for a request whose content is unusable, logged without its values.
    private func refuse(_ error: ParleyError, path: String) -> Response {
        logger.notice("refused a webhook", metadata: ["path": "\(path)", "problem": "\(error.description.prefix(200))"])
        return plain(.badRequest, error.description)
    }

    private func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text.isEmpty ? "" : text + "\n")))
    }

    private func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension HTTPField.Name {
    static let twilioSignature = Self("X-Twilio-Signature")!
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
