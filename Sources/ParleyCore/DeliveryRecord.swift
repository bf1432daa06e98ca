import Foundation

/// A status update for an outbound message (a gateway receipt or a
/// delivery report), stored as its own small YAML file named after the
/// message and the status. The same report delivered twice is the same
/// path with the same bytes: no new commit.
public struct DeliveryRecord: Equatable, Sendable, Codable {
    public var messageID: String
    public var status: DeliveryStatus
    public var time: Date
    public var gateway: String
    public var gatewayID: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var price: String?
    public var priceUnit: String?
    /// The provider's response or callback exactly as received.
    public var raw: String?

    public init(
        messageID: String, status: DeliveryStatus, time: Date, gateway: String, gatewayID: String? = nil,
        errorCode: String? = nil, errorMessage: String? = nil, price: String? = nil, priceUnit: String? = nil, raw: String? = nil
    ) {
        self.messageID = messageID
        self.status = status
        self.time = time
        self.gateway = gateway
        self.gatewayID = gatewayID
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.price = price
        self.priceUnit = priceUnit
        self.raw = raw
    }

    /// The record of `report` for one message: the one conversion from what a gateway said to what is stored.
    public init(_ report: DeliveryReport, messageID: String, gateway: String, gatewayID: String?, at heard: Date, price: String? = nil,
                priceUnit: String? = nil) {
        self.init(messageID: messageID, status: report.status, time: report.time ?? heard, gateway: gateway, gatewayID: gatewayID,
                  errorCode: report.errorCode, errorMessage: report.errorMessage, price: price, priceUnit: priceUnit, raw: report.raw)
    }

    public func fileData() -> Data { recordFileData() }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> DeliveryRecord {
        try readRecordFile(data, path: path)
    }

    /// The latest status among `records`, moving only forward; nil when empty.
    public static func effectiveStatus(of records: [DeliveryRecord], initial: DeliveryStatus) -> DeliveryStatus {
        records.reduce(initial) { current, record in
            record.status.advances(from: current) ? record.status : current
        }
    }
}

extension DeliveryRecord: RecordFile {
    static let renamedKeys = ["messageID": "message"]
}
