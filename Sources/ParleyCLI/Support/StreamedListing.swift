import Foundation

/// A listing written as it is read, in chunks of about 64 KB: `parley
/// inbox | grep …` over every conversation shows its first rows at once and
/// holds one chunk, not the whole text, and pays no system call per row.
/// With `json`, the rows form one array printed exactly as `JSONOutput`
/// prints a whole one.
final class StreamedListing {
    private let output: Output
    private let json: Bool
    private let encoder: JSONEncoder
    private var pending = ""
    private var rows = 0

    init(_ output: Output, json: Bool) {
        self.output = output
        self.json = json
        encoder = JSONOutput.encoder()
    }

    /// Text as it is, outside the JSON array.
    func write(_ text: String) {
        pending += text
        if pending.utf8.count >= 1 << 16 { flush() }
    }

    /// One element of the JSON array, indented as in a whole array.
    func append<T: Encodable>(_ row: T) {
        let data = (try? encoder.encode(row)) ?? Data("null".utf8)
        let indented = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        write((rows == 0 ? "[\n" : ",\n") + indented.joined(separator: "\n"))
        rows += 1
    }

    /// Closes the JSON array and writes what is pending.
    func finish() {
        if json { write(rows == 0 ? "[\n\n]\n" : "\n]\n") }
        flush()
    }

    private func flush() {
        guard !pending.isEmpty else { return }
        output.write(pending)
        pending = ""
    }
}
