@testable import ParleyCLI
import Foundation
import Testing

/// A streamed listing must print what the whole-array printer prints: a
/// script reading `parley inbox --json` cannot tell the two apart.
struct StreamedListingTests {
    struct Row: Encodable {
        let name: String
        let note: String?
        let time: Date
    }

    private func streamed(_ rows: [Row], json: Bool, text: String = "") -> String {
        let output = Output(capturing: true)
        let listing = StreamedListing(output, json: json)
        if !text.isEmpty { listing.write(text) }
        rows.forEach(listing.append)
        listing.finish()
        return output.standardOutput
    }

    @Test func aStreamedArrayIsPrintedExactlyAsAWholeOne() {
        let rows = [Row(name: "Maria \"M\" Gonzalez", note: "two\nlines", time: Date(timeIntervalSince1970: 1_773_000_000)),
                    Row(name: "Tom", note: nil, time: Date(timeIntervalSince1970: 1_773_000_060))]
        #expect(streamed(rows, json: true) == JSONOutput.encode(rows))
        #expect(streamed(Array(rows.prefix(1)), json: true) == JSONOutput.encode(Array(rows.prefix(1))))
        #expect(streamed([], json: true) == JSONOutput.encode([Row]()))
    }

    @Test func textLongerThanAChunkArrivesWholeAndInOrder() {
        let lines = (0..<20_000).map { "row \($0) of a long inbox\n" }
        let output = Output(capturing: true)
        let listing = StreamedListing(output, json: false)
        lines.forEach(listing.write)
        // Most of it was written before the end: it streams.
        #expect(output.standardOutput.utf8.count >= 1 << 16)
        listing.finish()
        #expect(output.standardOutput == lines.joined())
    }
}
