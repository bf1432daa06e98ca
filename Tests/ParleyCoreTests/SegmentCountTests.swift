import ParleyCore
import Testing

@Suite struct SegmentCountTests {
    @Test func gsm7SingleSegmentBoundary() {
        #expect(SegmentCount(String(repeating: "a", count: 160)).segments == 1)
        let over = SegmentCount(String(repeating: "a", count: 161))
        #expect(over.segments == 2)
        #expect(over.encoding == .gsm7)
    }

    @Test func gsm7PartsHold153Septets() {
        #expect(SegmentCount(String(repeating: "a", count: 306)).segments == 2)
        #expect(SegmentCount(String(repeating: "a", count: 307)).segments == 3)
    }

    @Test func extensionCharactersCountTwo() {
        let euro = SegmentCount(String(repeating: "a", count: 159) + "€")
        #expect(euro.units == 161)
        #expect(euro.segments == 2)
        #expect(euro.encoding == .gsm7)
        #expect(SegmentCount("{}[]~^|\\").units == 16)
    }

    @Test func anEscapePairIsNeverSplitAcrossParts() {
        // 152 plain septets then '€' would straddle the 153-septet boundary.
        let text = String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 10)
        let count = SegmentCount(text)
        #expect(count.units == 164)
        #expect(count.segments == 2)
        #expect(count.remainingInSegment == 153 - 12)
    }

    @Test func ucs2Boundaries() {
        #expect(SegmentCount("é" + String(repeating: "ж", count: 69)).segments == 1)
        let seventyOne = SegmentCount(String(repeating: "ж", count: 71))
        #expect(seventyOne.encoding == .ucs2)
        #expect(seventyOne.segments == 2)
        #expect(SegmentCount(String(repeating: "ж", count: 134)).segments == 2)
        #expect(SegmentCount(String(repeating: "ж", count: 135)).segments == 3)
    }

    @Test func emojiCountTwoUTF16Units() {
        let count = SegmentCount("Thanks 👍")
        #expect(count.encoding == .ucs2)
        #expect(count.units == 9)
        #expect(count.nonGSMCharacters == ["👍"])
    }

    @Test func smartQuotesForceUCS2AndAreNamed() {
        let count = SegmentCount("It’s “ready” — see you")
        #expect(count.encoding == .ucs2)
        #expect(count.nonGSMCharacters == ["’", "“", "”", "—"])
    }

    @Test func emptyTextHasNoSegments() {
        #expect(SegmentCount("").segments == 0)
    }
}
