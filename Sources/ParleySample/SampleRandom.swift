/// SplitMix64: the sample month's only source of chance, seeded, so the
/// same seed writes the same files on every machine and Swift version
/// (the standard library's generator and `shuffled()` promise neither).
struct SampleRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// One of `items`, each as likely as its weight.
    mutating func weighted<T>(_ items: [(T, Int)]) -> T {
        var roll = int(1...items.map(\.1).reduce(0, +))
        for (item, weight) in items {
            roll -= weight
            if roll <= 0 { return item }
        }
        return items[items.count - 1].0
    }

    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
}
