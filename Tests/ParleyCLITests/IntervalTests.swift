@testable import ParleyCLI
import Testing

struct IntervalTests {
    @Test(arguments: [("90", 90.0), ("90s", 90), ("5m", 300), ("1h", 3600), ("0", 0), ("1.5m", 90)])
    func durationsReadAsSeconds(text: String, seconds: Double) {
        #expect(Interval(argument: text)?.seconds == seconds)
    }

    @Test(arguments: ["", "m", "-5", "5d", "five", "inf"])
    func nonsenseIsRefused(text: String) {
        #expect(Interval(argument: text) == nil)
    }
}
