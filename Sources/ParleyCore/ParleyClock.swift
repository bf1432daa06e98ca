import Foundation

/// The one clock every time-dependent output reads. `PARLEY_NOW` (ISO 8601
/// with an offset, e.g. `2026-03-08T20:30:00-05:00`) pins it, so demos and
/// tests are deterministic and "would this go out at 20:30?" can be asked.
public struct ParleyClock: Sendable {
    private let fixed: Date?

    /// A clock that follows the system time.
    public static let system = ParleyClock(fixed: nil)

    public init(fixed: Date?) { self.fixed = fixed }

    /// Reads `PARLEY_NOW` from `environment`; throws when it is set but unreadable.
    public init(environment: [String: String]) throws {
        guard let text = environment["PARLEY_NOW"], !text.isEmpty else {
            self.init(fixed: nil)
            return
        }
        guard let date = Timestamp.parse(text) else {
            throw ParleyError.invalidInput("PARLEY_NOW='\(text)' is not an ISO 8601 time with an offset, e.g. 2026-03-08T20:30:00-05:00")
        }
        self.init(fixed: date)
    }

    public func now() -> Date { fixed ?? Date() }

    /// Waits `seconds` (a retry's back-off). A pinned clock does not move,
    /// so it does not wait either: tests and demos retry at once.
    public func pause(_ seconds: TimeInterval) async {
        guard fixed == nil, seconds > 0 else { return }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}
