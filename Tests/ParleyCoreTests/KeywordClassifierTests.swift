@testable import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct KeywordClassifierTests {
    let classifier = KeywordClassifier()

    @Test(arguments: ["STOP", "Stop", "stop", "STOP.", " stop ", "Stop!", "STOPALL", "stop all", "Unsubscribe", "cancel", "END", "quit", "Revoke", "OPTOUT", "opt-out", "Opt out", "\nSTOP\n"])
    func optOutKeywords(text: String) {
        #expect(classifier.classify(text) == .optOut)
    }

    @Test(arguments: ["START", "Yes", "yes!", "unstop"])
    func optInKeywords(text: String) {
        #expect(classifier.classify(text) == .optIn)
    }

    @Test(arguments: ["HELP", "help?", "Info"])
    func helpKeywords(text: String) {
        #expect(classifier.classify(text) == .help)
    }

    @Test(arguments: ["stop texting me", "Please stop texting me.", "Remove me from your list", "take me off your list please",
                      "Don't text me again", "do not text this number", "STOP SENDING ME THESE", "wrong number", "I want to opt out"])
    func revocationsGoToReview(text: String) {
        #expect(classifier.classify(text) == .possibleRevocation)
    }

    @Test(arguments: ["we have to stop this bill", "Stop by at 3?", "Yes please, Thursday works", "Can you help me reschedule?",
                      "I'll be there at the end of the day", "Thanks!", "Don't forget my x-ray", "I can't stop smiling"])
    func ordinaryRepliesAreNotKeywords(text: String) {
        #expect(classifier.classify(text) == nil)
    }

    /// The byte-level normalisation of ASCII texts is a shortcut: it must say what the character-level one says.
    @Test func asciiNormalisationAgreesWithCharacters() {
        let every = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        var generator = SeededGenerator(seed: 20261205)
        for _ in 0..<20000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in every.randomElement(using: &generator)! }.joined()
            #expect(KeywordClassifier.normalizedText(text) == KeywordClassifier.normalizedCharacters(text), "\(text.debugDescription)")
        }
        #expect(KeywordClassifier.normalizedText("Don’t  STOP, 42!") == "don't stop 42")
    }

    @Test func extraPhrasesFromTheConfiguration() {
        #expect(KeywordClassifier(extraRevocationPhrases: ["no gracias"]).classify("No gracias, adios") == .possibleRevocation)
    }
}
