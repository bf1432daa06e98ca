import Foundation

/// Two rates compared as a statistician would (docs/REPORTS.md,
/// "Evaluation"): the difference with its 95% interval by Newcombe's
/// hybrid score method (method 10 of Newcombe 1998, from each rate's Wilson
/// interval; it stays sensible for small groups and rates near 0), the
/// two-sided pooled z-test, and how many in each group a study would need to
/// detect the effect the literature reports. `StatisticsCheckTests` holds
/// every figure to statsmodels' own.
public struct ProportionComparison: Codable, Sendable, Equatable {
    /// First rate minus second (texted minus not texted).
    public let difference: Double
    public let low: Double
    public let high: Double
    public let z: Double
    /// Two-sided.
    public let pValue: Double
    /// Per group, to detect `relativeChange` from the second rate with 80% power at 5% two-sided (Cohen's h); nil when it cannot be said.
    public let neededPerGroup: Int?

    /// The effect the literature on text reminders reports: about 23% fewer no-shows, relative to none.
    public static let relativeChange = -0.23
    static let zHalfAlpha = 1.959_963_984_540_054
    static let zPower = 0.841_621_233_572_914_3

    /// Nil unless both groups have trials.
    public init?(successes first: Int, of firstTrials: Int, against second: Int, of secondTrials: Int) {
        guard let a = WilsonInterval(successes: first, trials: firstTrials), let b = WilsonInterval(successes: second, trials: secondTrials) else {
            return nil
        }
        let p1 = Double(first) / Double(firstTrials), p2 = Double(second) / Double(secondTrials)
        difference = p1 - p2
        low = difference - ((p1 - a.low) * (p1 - a.low) + (b.high - p2) * (b.high - p2)).squareRoot()
        high = difference + ((a.high - p1) * (a.high - p1) + (p2 - b.low) * (p2 - b.low)).squareRoot()
        let pooled = Double(first + second) / Double(firstTrials + secondTrials)
        let standardError = (pooled * (1 - pooled) * (1 / Double(firstTrials) + 1 / Double(secondTrials))).squareRoot()
        z = standardError > 0 ? difference / standardError : 0
        pValue = standardError > 0 ? erfc(abs(z) / 2.0.squareRoot()) : 1
        neededPerGroup = Self.needed(baseline: p2, relativeChange: Self.relativeChange)
    }

    /// Per group, for a change from `baseline` to `baseline × (1 + relativeChange)`: 2 ((z₁₋α/₂ + z₁₋β) / h)², h = |2 asin √p₁ − 2 asin √p₂|
    /// (two groups of equal size, the normal approximation statsmodels' `NormalIndPower` solves).
    static func needed(baseline: Double, relativeChange: Double) -> Int? {
        let target = baseline * (1 + relativeChange)
        guard baseline > 0, baseline < 1, (0...1).contains(target) else { return nil }
        let h = abs(2 * asin(baseline.squareRoot()) - 2 * asin(target.squareRoot()))
        guard h > 0 else { return nil }
        let n = 2 * ((zHalfAlpha + zPower) / h) * ((zHalfAlpha + zPower) / h)
        return Int(n.rounded(.up))
    }

    /// Whether the interval leaves out no difference at all.
    public var excludesZero: Bool { low > 0 || high < 0 }
}
