import Foundation

/// One status a gateway reported for one message—the fact every receipt,
/// callback and stored record carries: the status, when, the provider's
/// error, and its words exactly as received. `SubmissionReceipt` and
/// `StatusReport` contain one; a `DeliveryRecord` is made from one
/// (`DeliveryRecord.init(_:messageID:gateway:gatewayID:at:)`).
public struct DeliveryReport: Sendable, Equatable {
    public var status: DeliveryStatus
    /// When the provider says it happened; nil: when Parley heard of it.
    public var time: Date?
    public var errorCode: String?
    public var errorMessage: String?
    /// The provider's response or callback exactly as received.
    public var raw: String?

    public init(status: DeliveryStatus, time: Date? = nil, errorCode: String? = nil, errorMessage: String? = nil, raw: String? = nil) {
        self.status = status
        self.time = time
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.raw = raw
    }
}
