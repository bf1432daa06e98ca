import Foundation

/// Numbering-plan facts generated from libphonenumber's metadata (see
/// `scripts/generate-phone-metadata.py`), parsed once on first use.
enum PhoneMetadata {
    struct Region: Sendable {
        let code: String
        let countryCode: Int
        let isMainRegion: Bool
        let internationalPrefix: Pattern?
        let nationalPrefix: Pattern?
        let possibleLengths: Set<Int>
        let nationalNumber: Pattern

        func accepts(_ nationalNumber: String) -> Bool {
            possibleLengths.contains(nationalNumber.count) && self.nationalNumber.matchesWhole(nationalNumber)
        }
    }

    /// Where a North American area code is, as far as the public data says.
    struct AreaCode: Sendable {
        let code: Int
        /// ISO region: US, CA, PR, …
        let region: String
        /// USPS state or Canadian province code; empty when unknown.
        let state: String
        /// Every IANA zone a number with this area code may be in.
        let timeZones: [String]
    }

    /// A compiled regular expression that is only ever read.
    struct Pattern: @unchecked Sendable {
        private let expression: NSRegularExpression

        init?(_ source: String) {
            guard !source.isEmpty, let expression = try? NSRegularExpression(pattern: "^(?:\(source))") else { return nil }
            self.expression = expression
        }

        func matchesWhole(_ text: String) -> Bool {
            let range = NSRange(text.startIndex..., in: text)
            guard let match = expression.firstMatch(in: text, range: range) else { return false }
            return match.range.length == range.length
        }

        /// The length of the match at the start of `text`, nil when none.
        func prefixLength(in text: String) -> Int? {
            let range = NSRange(text.startIndex..., in: text)
            return expression.firstMatch(in: text, range: range).map { $0.range.length }
        }
    }

    static let regions: [String: Region] = {
        var regions: [String: Region] = [:]
        for line in regionTable.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 7, let countryCode = Int(fields[1]), let pattern = Pattern(fields[6]) else { continue }
            regions[fields[0]] = Region(
                code: fields[0],
                countryCode: countryCode,
                isMainRegion: fields[2] == "1",
                internationalPrefix: Pattern(fields[3]),
                nationalPrefix: Pattern(fields[4]),
                possibleLengths: Set(fields[5].split(separator: ",").compactMap { Int($0) }),
                nationalNumber: pattern)
        }
        return regions
    }()

    /// Regions by country calling code, the code's main region first.
    static let regionsByCountryCode: [Int: [Region]] = {
        Dictionary(grouping: regions.values, by: \.countryCode).mapValues { list in
            list.sorted { ($0.isMainRegion ? 0 : 1, $0.code) < ($1.isMainRegion ? 0 : 1, $1.code) }
        }
    }()

    /// Every zone of a US state or Canadian province: the union over its area codes.
    static let zonesByState: [String: [String]] = {
        var zones: [String: Set<String>] = [:]
        for code in areaCodes.values where !code.state.isEmpty { zones[code.state, default: []].formUnion(code.timeZones) }
        return zones.mapValues { $0.sorted() }
    }()

    /// Outside North America: the zones a number may be in, by its longest
    /// known prefix (country code first), nil when the data has none.
    static func zones(ofInternational e164: String) -> [String]? {
        var digits = Substring(e164.drop { $0 == "+" })
        while !digits.isEmpty {
            if let zones = numberZones[String(digits)] { return zones }
            digits = digits.dropLast()
        }
        return nil
    }

    private static let numberZones: [String: [String]] = {
        var zones: [String: [String]] = [:]
        for line in numberZoneTable.split(separator: "\n") {
            let fields = line.split(separator: "|")
            guard fields.count == 2 else { continue }
            zones[String(fields[0])] = fields[1].split(separator: ",").map(String.init)
        }
        return zones
    }()

    static let areaCodes: [Int: AreaCode] = {
        var codes: [Int: AreaCode] = [:]
        for line in areaCodeTable.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let code = Int(fields[0]) else { continue }
            codes[code] = AreaCode(
                code: code, region: fields[1], state: fields[2],
                timeZones: fields[3].split(separator: ",").map(String.init))
        }
        return codes
    }()
}
