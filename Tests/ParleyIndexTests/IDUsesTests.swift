import Foundation
@testable import ParleyIndex
import Testing

/// `parley check`'s ids are claimed from several threads in whatever order
/// they finish; the duplicates reported must be those of one pass in walk
/// order: the lowest place is the first use, every other use names it.
@Suite struct IDUsesTests {
    /// 2,000 ids over 300 conversations, some used up to four times, some within one conversation.
    static let uses: [(id: String, path: String, place: IDUses.Place)] = {
        var generator = SystemRandomNumberGenerator()
        var uses: [(String, String, IDUses.Place)] = []
        for conversation in -1..<300 {
            for order in 0..<7 {
                let id = "01KRJVR8FR" + String(Int.random(in: 0..<2_000, using: &generator))
                uses.append((id, "c\(conversation)/f\(order)", IDUses.Place(conversation: conversation, order: order)))
            }
        }
        return uses
    }()

    /// One pass in walk order with a plain dictionary: what the check reported before it used threads.
    static func expected() -> [String] {
        var first: [String: String] = [:], problems: [String] = []
        for use in uses {
            if let path = first[use.id] { problems.append("\(use.path): \(use.id) also at \(path)") } else { first[use.id] = use.path }
        }
        return problems
    }

    @Test func claimsInAnyOrderOnManyThreadsReportTheDuplicatesOfOnePassInWalkOrder() {
        for _ in 0..<5 {
            let ids = IDUses(), shuffled = Self.uses.shuffled()
            DispatchQueue.concurrentPerform(iterations: 4) { thread in
                for use in shuffled[(thread * shuffled.count / 4)..<((thread + 1) * shuffled.count / 4)] {
                    ids.claim(use.id, at: use.path, place: use.place)
                }
            }
            let reported = ids.takeDuplicates().map { "\($0.path): \($0.id) also at \($0.firstPath)" }
            #expect(reported == Self.expected())
            #expect(!reported.isEmpty)
            #expect(ids.takeDuplicates().isEmpty, "taking the duplicates empties the table")
        }
    }
}
