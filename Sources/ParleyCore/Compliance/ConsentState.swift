import Foundation

/// A number's consent, folded from its ledger in time order. An opt-out
/// (STOP) is only lifted by the customer opting back in (START): a grant
/// recorded by staff afterwards does not override it.
public struct ConsentState: Equatable, Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        case none, granted, revoked
        case optedOut = "opted_out"
    }

    public var status: Status
    /// The grant in force, while status is granted.
    public var grant: ConsentEvent?
    /// When the customer opted out, while opted out.
    public var optedOutAt: Date?
    /// An open review blocks sending until a person resolves it.
    public var underReview: Bool
    public var reviewOpenedAt: Date?
    public var reviewMessageID: String?

    public static let empty = ConsentState(status: .none, grant: nil, optedOutAt: nil, underReview: false, reviewOpenedAt: nil, reviewMessageID: nil)

    public static func fold(_ events: [ConsentEvent]) -> ConsentState {
        var state = ConsentState.empty
        var lastGrant: ConsentEvent?
        for event in events.sorted(by: { ($0.time, $0.id) < ($1.time, $1.id) }) {
            switch event.kind {
            case .granted:
                lastGrant = event
                if state.status != .optedOut {
                    state.status = .granted
                    state.grant = event
                }
            case .revoked:
                if state.status != .optedOut {
                    state.status = .revoked
                    state.grant = nil
                }
            case .optedOut:
                state.status = .optedOut
                state.grant = nil
                state.optedOutAt = event.time
                state.underReview = false
            case .optedIn:
                // Texting START restores the consent the customer had given.
                state.status = lastGrant == nil ? .none : .granted
                state.grant = lastGrant
                state.optedOutAt = nil
            case .reviewOpened:
                state.underReview = true
                state.reviewOpenedAt = event.time
                state.reviewMessageID = event.messageID
            case .reviewResolved:
                state.underReview = false
                state.reviewOpenedAt = nil
                state.reviewMessageID = nil
                if event.resolution == "opt_out" {
                    state.status = .optedOut
                    state.grant = nil
                    state.optedOutAt = event.time
                }
            }
        }
        return state
    }
}
