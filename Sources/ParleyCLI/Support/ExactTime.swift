import ArgumentParser
import Foundation
import ParleyCore

/// An ISO 8601 time with an offset (`2026-03-10T09:00:00-05:00`), as
/// `--time` and `--at` take it: parsed by ArgumentParser, whose error names
/// the option and the value, so no command parses a time in `run()`.
struct ExactTime: ExpressibleByArgument, Sendable {
    let date: Date

    init?(argument: String) {
        guard let date = Timestamp.parse(argument) else { return nil }
        self.date = date
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
