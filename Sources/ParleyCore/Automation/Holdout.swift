import Crypto
import Foundation

/// A randomized holdout: a share of the customers an automation would text
/// get nothing, so `parley report evaluation` can compare the two groups
/// and tell the automation's effect from chance. Who is held out is a keyed
/// hash (HMAC-SHA256) of the automation, the number and what it acts on
/// (the appointment): reproducible from the repository, the same on every
/// run and every clone, and not something a person picks. The key is in
/// the reviewed file, so changing it mid-study shows in the history.
public struct Holdout: Equatable, Sendable {
    /// The held-out share, 0–50%.
    public let share: Double
    public let key: String

    public init(share: Double, key: String) {
        self.share = share
        self.key = key
    }

    static func parse(_ fields: YAMLFields?) throws(ParleyError) -> Holdout? {
        guard let fields else { return nil }
        guard let share = try fields.share("share", in: 0...0.5) else {
            throw fields.problem("share", "a holdout needs 'share', the part of eligible customers that gets no text (0–50%, e.g. 10%)")
        }
        let key = try fields.string("key")
        guard key.count >= 16 else {
            throw fields.problem("key", "the holdout 'key' must be at least 16 characters of random text (e.g. from 'openssl rand -hex 16')")
        }
        return Holdout(share: share, key: key)
    }

    /// Whether the customer at `number` is held out of `automation` for `subject`.
    public func holdsOut(_ number: PhoneNumber, subject: String, automation: String) -> Bool {
        Self.draw(number, subject: subject, automation: automation, key: key) < share
    }

    /// A uniform number in [0, 1) from the keyed hash.
    public static func draw(_ number: PhoneNumber, subject: String, automation: String, key: String) -> Double {
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(automation)\n\(number.e164)\n\(subject)".utf8), using: SymmetricKey(data: Data(key.utf8)))
        let value = Array(code).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Double(value >> 11) / Double(UInt64(1) << 53)
    }
}
