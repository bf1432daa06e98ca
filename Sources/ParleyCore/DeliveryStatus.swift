/// Parley's normalized message status. Outbound statuses only move forward
/// (pending < queued < sent < a final one); callbacks that arrive late,
/// twice or out of order never move a message back.
public enum DeliveryStatus: String, Codable, Sendable, CaseIterable, Comparable {
    /// The intent is committed; the gateway has not answered yet.
    case pending
    /// The gateway accepted the message and will send it.
    case queued
    /// The gateway handed the message to the carrier.
    case sent
    /// The handset received it.
    case delivered
    /// The carrier could not deliver it.
    case undelivered
    /// The gateway refused or failed it; it did not go out.
    case failed
    /// An inbound message.
    case received

    /// Position in the forward-only order; final statuses share the top rank.
    public var rank: Int {
        switch self {
        case .pending: return 0
        case .queued: return 1
        case .sent: return 2
        case .received, .delivered, .undelivered, .failed: return 3
        }
    }

    public static func < (lhs: DeliveryStatus, rhs: DeliveryStatus) -> Bool { lhs.rank < rhs.rank }

    /// Whether a record with this status may replace `current`.
    public func advances(from current: DeliveryStatus) -> Bool { rank > current.rank }
}

extension DeliveryStatus: RecordChoice {}
