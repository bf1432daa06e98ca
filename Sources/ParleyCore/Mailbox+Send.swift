import Foundation

/// What `send` did.
public struct SendResult: Sendable {
    public let message: Message
    public let deliveries: [DeliveryRecord]
    public let segments: SegmentCount
    public let commit: CommitRecord?
    /// The gateway's refusal, when it refused (the attempt is still recorded).
    public let rejection: GatewayError?

    /// The message's status after all known receipts.
    public var status: DeliveryStatus { DeliveryRecord.effectiveStatus(of: deliveries, initial: message.status) }
}

extension Mailbox {
    /// The longest body Parley sends (Twilio's own limit).
    public static let maximumBodyLength = 1600

    /// Sends one message through `gateway` and commits it together with the
    /// gateway's receipt in one commit. A refusal by the gateway is recorded
    /// as a failed message (the attempt is part of the record) and reported;
    /// a failure before anything was sent leaves the repository untouched.
    public func send(to number: PhoneNumber, body: String, via gateway: any Gateway) async throws(ParleyError) -> SendResult {
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidInput("the message is empty: give the text with --body")
        }
        guard body.count <= Self.maximumBodyLength else {
            throw .invalidInput("the message has \(body.count) characters; the limit is \(Self.maximumBodyLength)")
        }
        let now = clock.now()
        let segments = SegmentCount(body)
        var message = Message(
            id: try nextMessageID(with: number, in: store.snapshot(), at: now), direction: .outbound, time: now, from: config.businessNumber, to: number,
            agent: agent.handle, gateway: gateway.name, gatewayID: nil, status: .pending,
            segments: segments.segments, encoding: segments.encoding.rawValue, body: body)
        let submission = Submission(id: message.id, from: message.from, to: number, body: body, segments: segments)

        var deliveries: [DeliveryRecord] = []
        var rejection: GatewayError?
        do {
            let receipt = try await gateway.submit(submission)
            message.gatewayID = receipt.gatewayID
            message.status = receipt.status
            deliveries = records(for: message, receipt: receipt, at: now)
        } catch {
            switch error {
            case .rejected(let code, let text, let raw):
                message.status = .failed
                rejection = error
                deliveries = [DeliveryRecord(messageID: message.id, status: .failed, time: now, gateway: gateway.name,
                                             errorCode: code, errorMessage: text, raw: raw)]
            case .unavailable, .misconfigured:
                throw .gateway("\(gateway.name) \(error); nothing was sent and nothing was recorded")
            case .ambiguous:
                throw .inDoubt("\(gateway.name) gave \(error); message \(message.id) may have been sent")
            }
        }

        let commit = try store.commit { snapshot throws(ParleyError) in
            var files: [String: Data?] = [MailboxLayout.messagePath(number, time: message.time, id: message.id): message.fileData()]
            for record in deliveries {
                files[MailboxLayout.receiptPath(number, messageID: message.id, status: record.status)] = record.fileData()
            }
            let verb = rejection == nil ? "Send message to" : "Record refused message to"
            return change(files, CommitMessage(
                subject: "\(verb) \(label(number, in: snapshot))",
                trailers: [
                    ("Parley-Action", "send"), ("Parley-Number", number.e164), ("Parley-Message-Id", message.id),
                    ("Parley-Gateway", gateway.name), ("Parley-Receipt", message.gatewayID ?? "none"),
                    ("Parley-Status", DeliveryRecord.effectiveStatus(of: deliveries, initial: message.status).rawValue),
                ]))
        }
        return SendResult(message: message, deliveries: deliveries, segments: segments, commit: commit, rejection: rejection)
    }

    /// The delivery records a receipt yields: the submission status and
    /// every later report the gateway already knows.
    func records(for message: Message, receipt: SubmissionReceipt, at time: Date) -> [DeliveryRecord] {
        var records = [DeliveryRecord(
            messageID: message.id, status: receipt.status, time: time, gateway: message.gateway, gatewayID: receipt.gatewayID,
            errorCode: receipt.errorCode, errorMessage: receipt.errorMessage, price: receipt.price, priceUnit: receipt.priceUnit,
            raw: receipt.raw)]
        for report in receipt.laterReports where !records.contains(where: { $0.status == report.status }) {
            records.append(DeliveryRecord(
                messageID: message.id, status: report.status, time: report.time, gateway: message.gateway,
                gatewayID: receipt.gatewayID, errorCode: report.errorCode, errorMessage: report.errorMessage, raw: report.raw))
        }
        return records
    }
}
