import Foundation
import ArgumentParser

/// A duration typed on the command line: plain seconds (`90`) or with a
/// unit (`90s`, `5m`, `1h`), so `--sync-every 5m` reads as it is meant.
struct Interval: ExpressibleByArgument, Sendable {
    let seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var text = argument.trimmingCharacters(in: .whitespaces)
        var scale = 1.0
        if let last = text.last, let unit = units[last] {
            scale = unit
            text.removeLast()
        }
        guard let value = Double(text), value >= 0, value.isFinite else { return nil }
        seconds = value * scale
    }

    var defaultValueDescription: String {
        seconds.truncatingRemainder(dividingBy: 60) == 0 && seconds > 0 ? "\(Int(seconds / 60))m" : "\(Int(seconds))s"
    }
}
