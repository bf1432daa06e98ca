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

    public func fileData() -> Data {
        var yaml = YAMLWriter()
        yaml.field("message", messageID)
        yaml.field("status", status.rawValue)
        yaml.field("time", time)
        yaml.field("gateway", gateway)
        yaml.field("gateway_id", gatewayID)
        yaml.field("error_code", errorCode)
        yaml.field("error_message", errorMessage)
        yaml.field("price", price)
        yaml.field("price_unit", priceUnit)
        yaml.field("raw", raw)
        return Data(yaml.text.utf8)
    }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> DeliveryRecord {
        let fields = try YAMLFields.parseMapping(data, path: path)
        let status = try fields.choice("status", of: DeliveryStatus.self)
        return DeliveryRecord(
            messageID: try fields.string("message"), status: status, time: try fields.date("time"),
            gateway: try fields.string("gateway"), gatewayID: try fields.optionalString("gateway_id"),
            errorCode: try fields.optionalString("error_code"), errorMessage: try fields.optionalString("error_message"),
            price: try fields.optionalString("price"), priceUnit: try fields.optionalString("price_unit"),
            raw: try fields.optionalString("raw"))
    }

    /// The latest status among `records`, moving only forward; nil when empty.
    public static func effectiveStatus(of records: [DeliveryRecord], initial: DeliveryStatus) -> DeliveryStatus {
        records.reduce(initial) { current, record in
            record.status.advances(from: current) ? record.status : current
        }
    }
}
