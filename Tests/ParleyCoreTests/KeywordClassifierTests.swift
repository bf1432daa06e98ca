import ParleyCore
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

    @Test func extraPhrasesFromTheConfiguration() {
        #expect(KeywordClassifier(extraRevocationPhrases: ["no gracias"]).classify("No gracias, adios") == .possibleRevocation)
    }
}
