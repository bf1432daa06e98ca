import Foundation
import ParleyCore

/// Summary of a set of durations, each measured in business time and in
/// calendar time: how many, the median (the middle value, or the mean of
/// the two middle ones), the 90th percentile (nearest rank: the smallest
/// value at least 90% of them do not exceed) and the longest; and the
/// share within target, of those that have one, in business time.
public struct DurationStats: Codable, Sendable, Equatable {
    public struct Figures: Codable, Sendable, Equatable {
        public let median: Double
        public let p90: Double
        public let max: Double
    }

    public let count: Int
    /// Seconds of business time; nil when there is nothing to summarise.
    public let business: Figures?
    /// Seconds of calendar time.
    public let calendar: Figures?
    /// The share (0–1) of durations with a target that met it; nil when none has one.
    public let withinTarget: Double?

    /// One measured duration.
    struct Sample {
        let business: Double
        let calendar: Double
        let target: Double?
    }

    init(_ samples: [Sample]) {
        count = samples.count
        business = Self.figures(samples.map(\.business))
        calendar = Self.figures(samples.map(\.calendar))
        let targeted = samples.filter { $0.target != nil }
        withinTarget = targeted.isEmpty ? nil : Double(targeted.filter { $0.business <= $0.target! }.count) / Double(targeted.count)
    }

    static func figures(_ values: [Double]) -> Figures? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        let rank = Int((0.9 * Double(sorted.count)).rounded(.up))
        return Figures(median: median, p90: sorted[max(rank, 1) - 1], max: sorted[sorted.count - 1])
    }
}
