import Foundation
import ParleyCore

/// Shared values for tests.
public enum Fixtures {
    public static let business = try! PhoneNumber.parse("+13125550100")
    public static let sarah = try! PhoneNumber.parse("+13125550147")
    public static let tom = try! PhoneNumber.parse("+13125550123")
    public static let agent = Agent(handle: "dana", name: "Dana Ruiz", email: "dana@example.com")
    public static let config = MailboxConfig(businessName: "Bright Smile Dental", businessNumber: business, timeZone: "America/Chicago")

    /// 2026-03-09 15:00 UTC (09:00 in Chicago).
    public static let monday = Timestamp.parse("2026-03-09T15:00:00Z")!

    public static func clock(_ date: Date = monday) -> ParleyClock { ParleyClock(fixed: date) }
}
