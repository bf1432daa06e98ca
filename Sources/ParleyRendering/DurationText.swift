import ParleyCore
/// Short human durations for waiting times: `45s`, `12m`, `3h 05m`, `2d 04h`.
public enum DurationText {
    public static func short(_ seconds: Int) -> String {
        let seconds = max(0, seconds)
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 24 { return "\(hours)h " + pad(minutes % 60) + "m" }
        return "\(hours / 24)d " + pad(hours % 24) + "h"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
