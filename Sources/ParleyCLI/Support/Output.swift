import Foundation

/// Where a command writes. Commands read `Output.current`; tests replace it
/// with a capturing one to check what a command printed.
public final class Output: @unchecked Sendable {
    @TaskLocal public static var current = Output.standard

    /// The process's stdout and stderr.
    public static let standard = Output(capturing: false)

    private let capturing: Bool
    private let lock = NSLock()
    private var capturedOut = ""
    private var capturedError = ""

    public init(capturing: Bool) { self.capturing = capturing }

    public var standardOutput: String { lock.withLock { capturedOut } }
    public var standardError: String { lock.withLock { capturedError } }

    /// Whether stdout is a terminal (never when capturing).
    public var isTerminal: Bool { !capturing && isatty(STDOUT_FILENO) == 1 }
    public var isErrorTerminal: Bool { !capturing && isatty(STDERR_FILENO) == 1 }

    public func write(_ text: String) {
        if capturing { lock.withLock { capturedOut += text } } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    public func line(_ text: String = "") { write(text + "\n") }

    /// A list as a script or a person wants it: JSON; or `empty`, which says
    /// what to do next, when there is nothing; or each item's lines.
    func list<Item: Encodable>(_ items: [Item], json: Bool, empty: String, lines: (Item) -> [String]) {
        if json {
            write(JSONOutput.encode(items))
        } else if items.isEmpty {
            line(empty)
        } else {
            for item in items { lines(item).forEach { line($0) } }
        }
    }

    public func error(_ text: String) {
        if capturing { lock.withLock { capturedError += text + "\n" } } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
    }
}
