import Foundation

/// When a business may text a recipient, in the recipient's local time:
/// the federal 08:00–21:00 window and the stricter state rules listed in
/// docs/COMPLIANCE.md (verify before relying on any row: state laws change).
public enum QuietHours {
    /// Allowed hours on one kind of day, in minutes after local midnight; nil: not at all.
    public struct Window: Equatable, Sendable {
        public let start: Int
        public let end: Int

        public init(_ startHour: Int, _ endHour: Int) {
            self.init(minutes: startHour * 60, endHour * 60)
        }

        init(minutes start: Int, _ end: Int) {
            self.start = start
            self.end = end
        }

        /// The hours both windows allow; nil when they do not meet.
        func intersection(_ other: Window) -> Window? {
            let start = max(self.start, other.start), end = min(self.end, other.end)
            return start < end ? Window(minutes: start, end) : nil
        }

        public var text: String { QuietHours.clockText(minuteOfDay: start) + "–" + QuietHours.clockText(minuteOfDay: end) }
    }

    /// The rule of one jurisdiction.
    public struct Rule: Equatable, Sendable {
        public let name: String
        public let weekday: Window
        public let saturday: Window?
        public let sunday: Window?
        public let holidays: Window?

        func window(weekday day: Int, holiday: Bool) -> Window? {
            if holiday { return holidays }
            switch day {
            case 1: return sunday
            case 7: return saturday
            default: return weekday
            }
        }

        static func every(_ name: String, _ window: Window) -> Rule {
            Rule(name: name, weekday: window, saturday: window, sunday: window, holidays: window)
        }
    }

    public static let federal = Rule.every("federal", Window(8, 21))

    /// States stricter than the federal rule.
    public static let states: [String: Rule] = {
        var rules: [String: Rule] = [:]
        for state in ["FL", "OK", "MD", "MA"] { rules[state] = .every(state, Window(8, 20)) }
        for state in ["AL", "LA"] {
            rules[state] = Rule(name: state, weekday: Window(8, 20), saturday: Window(8, 20), sunday: nil, holidays: nil)
        }
        rules["MS"] = Rule(name: "MS", weekday: Window(8, 21), saturday: Window(8, 21), sunday: nil, holidays: Window(8, 21))
        rules["KY"] = .every("KY", Window(10, 21))
        for state in ["MI", "MN", "NM"] { rules[state] = .every(state, Window(9, 21)) }
        for state in ["NV", "CT"] { rules[state] = .every(state, Window(9, 20)) }
        rules["RI"] = Rule(name: "RI", weekday: Window(9, 18), saturday: Window(10, 17), sunday: nil, holidays: nil)
        return rules
    }()

    /// Where the recipient is, and how we know.
    public struct Location: Equatable, Sendable {
        public enum Source: String, Sendable {
            case contact = "contact record"
            case areaCode = "area code"
            case contactState = "the contact's state"
            case numberMetadata = "the number's country"
            case conservative = "unknown location: conservative window"
        }

        public let zones: [TimeZone]
        public let state: String?
        public let source: Source
        /// The conservative window replaces the rules when the location is unknown.
        public let conservativeWindow: Window?

        public init(zones: [TimeZone], state: String?, source: Source, conservativeWindow: Window? = nil) {
            self.zones = zones
            self.state = state
            self.source = source
            self.conservativeWindow = conservativeWindow
        }

        /// From the contact's zone; else every zone the area code spans;
        /// else every zone of the contact's state; else, in North America,
        /// 12:00–21:00 Eastern (inside 08:00–21:00 everywhere in the
        /// continental US); elsewhere every zone the number's country prefix
        /// spans. A state's stricter rule applies wherever the state is known.
        public static func of(_ number: PhoneNumber, contact: Contact?, businessZone: TimeZone) -> Location {
            let areaCode = number.countryCode == 1 ? number.areaCode.flatMap { PhoneMetadata.areaCodes[$0] } : nil
            let areaState = areaCode.flatMap { ["US", "PR", "VI", "GU", "AS", "MP"].contains($0.region) && $0.state.count == 2 ? $0.state : nil }
            let contactState = contact?.state.map { $0.uppercased() }
            let state = contactState ?? areaState
            if let zone = contact?.timeZone.flatMap(TimeZone.init(identifier:)) {
                return Location(zones: [zone], state: state, source: .contact)
            }
            if let zones = areaCode.map({ zones($0.timeZones) }), !zones.isEmpty {
                return Location(zones: zones, state: state, source: .areaCode)
            }
            if let contactState, let zones = PhoneMetadata.zonesByState[contactState].map(zones), !zones.isEmpty {
                return Location(zones: zones, state: contactState, source: .contactState)
            }
            if number.countryCode == 1 {
                return Location(zones: [TimeZone(identifier: "America/New_York")!], state: state, source: .conservative,
                    conservativeWindow: Window(12, 21))
            }
            if let zones = PhoneMetadata.zones(ofInternational: number.e164).map(zones), !zones.isEmpty {
                return Location(zones: zones, state: nil, source: .numberMetadata)
            }
            return Location(zones: [businessZone], state: nil, source: .conservative)
        }

        private static func zones(_ identifiers: [String]) -> [TimeZone] {
            identifiers.compactMap(TimeZone.init(identifier:))
        }
    }

    public struct Verdict: Equatable, Sendable {
        public let allowed: Bool
        /// "21:14 in America/Chicago for +13125550147; allowed 08:00–21:00 (IL)"
        public let facts: String
        /// The first time every zone allows, within the next eight days.
        public let nextAllowed: Date?
    }

    /// `findingNextAllowed: false` skips the search for the next allowed
    /// time (an audit only asks whether a past send was allowed).
    public static func evaluate(_ number: PhoneNumber, at time: Date, location: Location, findingNextAllowed: Bool = true) -> Verdict {
        let rule = rule(for: location.state)
        var facts: [String] = []
        var allowed = true
        var offsetsShown: Set<Int> = []
        for zone in location.zones {
            let (inside, window) = check(time, zone: zone, rule: rule, override: location.conservativeWindow)
            allowed = allowed && inside
            // Zones that read the same clock now say the same thing once.
            guard offsetsShown.insert(zone.secondsFromGMT(for: time)).inserted else { continue }
            let allowedText = window.map { "allowed \($0.text)" } ?? "no messages on this day"
            facts.append("\(clockText(time, zone)) in \(zone.identifier) for \(number.e164); \(allowedText) (\(ruleLabel(rule, location)))")
        }
        let next = allowed ? time : findingNextAllowed ? nextAllowedTime(after: time, location: location, rule: rule) : nil
        return Verdict(allowed: allowed, facts: facts.joined(separator: "; "), nextAllowed: next)
    }

    /// The state's rule when it is stricter than the federal one.
    static func rule(for state: String?) -> Rule {
        state.flatMap { states[$0.uppercased()] } ?? federal
    }

    private static func ruleLabel(_ rule: Rule, _ location: Location) -> String {
        var parts: [String] = []
        if location.conservativeWindow != nil { parts.append(location.source.rawValue) }
        if rule.name != "federal" {
            parts.append(rule.name)
        } else {
            parts.append(location.state.map { "\($0), federal rule" } ?? "federal rule")
        }
        if location.source == .contactState || location.source == .numberMetadata { parts.append("zones from \(location.source.rawValue)") }
        return parts.joined(separator: "; ")
    }

    private static func check(_ time: Date, zone: TimeZone, rule: Rule, override: Window?) -> (Bool, Window?) {
        let local = LocalTime(time, in: zone)
        let holiday = USHolidays.isHoliday(year: local.year, month: local.month, day: local.day)
        // A conservative window narrows the rule; it never widens it.
        let ruled = rule.window(weekday: local.weekday, holiday: holiday)
        let window = override.map { conservative in ruled.flatMap { $0.intersection(conservative) } } ?? ruled
        guard let window else { return (false, nil) }
        return (local.minuteOfDay >= window.start && local.minuteOfDay < window.end, window)
    }

    private static func nextAllowedTime(after time: Date, location: Location, rule: Rule) -> Date? {
        // Windows open on whole hours, so five-minute steps from a five-minute boundary land on them.
        var candidate = Date(timeIntervalSince1970: (time.timeIntervalSince1970 / 300).rounded(.up) * 300)
        let limit = time.addingTimeInterval(8 * 86_400)
        while candidate < limit {
            if location.zones.allSatisfy({ check(candidate, zone: $0, rule: rule, override: location.conservativeWindow).0 }) { return candidate }
            candidate.addTimeInterval(300)
        }
        return nil
    }

    static func clockText(_ time: Date, _ zone: TimeZone) -> String {
        clockText(minuteOfDay: LocalTime(time, in: zone).minuteOfDay)
    }

    /// "08:05" for 485 (`String(format:)` cost the audit more than the rule it explains).
    static func clockText(minuteOfDay minute: Int) -> String {
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return twoDigits(minute / 60) + ":" + twoDigits(minute % 60)
    }
}
