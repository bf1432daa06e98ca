import Foundation
@testable import ParleyCore
import Testing

@Suite struct RevocationCorpusTests {
    let classifier = KeywordClassifier()

    /// Recall on revocations must be total; ordinary replies are left alone at least 95% of the time.
    /// The figures are printed for docs/COMPLIANCE.md.
    @Test func everyRevocationIsCaughtAndOrdinaryRepliesAreLeftAlone() {
        #expect(RevocationCorpus.revocations.count + RevocationCorpus.ordinary.count >= 300)
        let missed = RevocationCorpus.revocations.filter { classifier.classify($0) == nil || classifier.classify($0) == .optIn || classifier.classify($0) == .help }
        let held = RevocationCorpus.ordinary.filter { [.optOut, .possibleRevocation].contains(classifier.classify($0)) }
        let recall = Double(RevocationCorpus.revocations.count - missed.count) / Double(RevocationCorpus.revocations.count)
        let leftAlone = Double(RevocationCorpus.ordinary.count - held.count) / Double(RevocationCorpus.ordinary.count)
        print(String(format: "revocation corpus: recall %.1f%% (%d of %d), ordinary replies left alone %.1f%% (%d of %d)",
                     recall * 100, RevocationCorpus.revocations.count - missed.count, RevocationCorpus.revocations.count,
                     leftAlone * 100, RevocationCorpus.ordinary.count - held.count, RevocationCorpus.ordinary.count))
        #expect(missed.isEmpty, "missed revocations: \(missed)")
        #expect(leftAlone >= 0.95, "held ordinary replies: \(held)")
        print("held ordinary replies: \(held)")
    }

    @Test func negationsAreNotRevocations() {
        for text in ["Please don't remove me from the list", "don't stop texting me", "do not stop the reminders", "never stop sending these"] {
            #expect(classifier.classify(text) == nil, "\(text)")
        }
        for text in ["please remove me", "stop texting me", "don't text me"] {
            #expect(classifier.classify(text) == .possibleRevocation, "\(text)")
        }
    }
}
