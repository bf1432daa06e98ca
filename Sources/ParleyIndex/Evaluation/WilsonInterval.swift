import Foundation
import ParleyCore

/// The Wilson score interval for a proportion: unlike the textbook
/// p ± 1.96·√(p(1−p)/n) it stays inside 0–1 and keeps a sensible width
/// when the count is small or the rate near 0 or 1, which is where a small
/// business's numbers are.
public struct WilsonInterval: Codable, Sendable, Equatable {
    public let low: Double
    public let high: Double

    /// The 95% interval for `successes` of `trials`; nil without trials.
    public init?(successes: Int, trials: Int, z: Double = 1.959_963_985) {
        guard trials > 0, (0...trials).contains(successes) else { return nil }
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * ((p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()) / denominator
        low = max(0, centre - half)
        high = min(1, centre + half)
    }

}
