import Foundation

/// Classifies an inbound message the way carriers and the FCC expect:
/// the opt-out, opt-in and help keywords match the whole message, ignoring
/// case, spacing and punctuation ("Stop", " STOP. "); a message a
/// reasonable person would read as a revocation ("please stop texting me")
/// is flagged for a person to review; anything else is an ordinary reply.
public struct KeywordClassifier: Sendable {
    public enum Kind: String, Sendable, Codable {
        case optOut = "opt-out"
        case optIn = "opt-in"
        case help
        /// Reads like "stop contacting me" without being a keyword.
        case possibleRevocation = "possible-revocation"
    }

    public static let optOutKeywords: Set<String> = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
    public static let optInKeywords: Set<String> = ["START", "YES", "UNSTOP"]
    public static let helpKeywords: Set<String> = ["HELP", "INFO"]

    /// Phrases that, anywhere in a message and not negated, read as a wish
    /// to stop messages (English and common Spanish forms).
    public static let defaultRevocationPhrases = [
        "stop texting", "stop messaging", "stop sending", "stop contacting", "stop calling", "stop the texts", "stop txting",
        "stop these texts", "stop the messages", "stop these messages", "stop with the", "stop msging", "stop all",
        "remove me", "remove my number", "take me off", "take my number off", "delete my number", "lose my number", "unsubscribe",
        "don't text", "dont text", "do not text", "don't message", "do not message", "do not contact", "don't contact", "dont contact",
        "don't send", "dont send", "do not send", "not interested", "no longer interested",
        "no more texts", "no more messages", "no more text", "no more msgs", "no texts", "leave me alone", "opt me out", "opt out",
        "wrong number", "quit texting", "quit messaging", "quit sending", "never signed up", "never agreed", "didn't sign up",
        "did not sign up", "enough texts", "enough messages", "i want out", "end texts", "end messages", "cancel texts",
        "cancel messages", "cancel my subscription", "cancel the texts", "cancel these texts", "stop bothering",
        // Spanish
        "no más mensajes", "no mas mensajes", "no me envíes", "no me envies", "no me envíen", "no me envien", "no me mandes",
        "no me manden", "deja de enviar", "deja de mandar", "dejen de enviar", "dejen de mandar", "deja de enviarme",
        "deja de mandarme", "dejen de enviarme", "dejen de mandarme", "no quiero recibir",
        "ya no quiero", "no quiero más", "no quiero mas", "no quiero mensajes", "bórrame", "borrame", "sácame", "sacame",
        "quítame", "quitame", "quitarme", "elimina mi número", "elimina mi numero", "dar de baja", "darme de baja", "denme de baja",
        "no me escriban", "no me escribas", "no me contacten", "no me contactes", "no molesten", "número equivocado", "numero equivocado",
    ] + notWanting

    /// "I don't want these texts", "do not want any more messages".
    static let notWanting: [String] = {
        let verbs = ["don't want", "dont want", "do not want", "no longer want", "don't need", "dont need", "do not need"]
        let objects = ["texts", "messages", "msgs", "text messages", "sms", "these texts", "these messages", "any texts", "any messages",
                       "any more texts", "any more messages", "anymore texts", "your texts", "your messages", "more texts", "more messages",
                       "to receive", "to get texts", "to get messages", "to be texted", "to be contacted", "you to text", "you texting"]
        return verbs.flatMap { verb in objects.map { verb + " " + $0 } }
    }()

    /// Whole messages that are not carriers' keywords but mean the same:
    /// common misspellings and Spanish.
    static let keywordLikeWords: Set<String> = [
        "STPO", "SOTP", "STOPP", "STPP", "SPOT", "STIP", "STOPE", "UNSUBCRIBE", "UNSUBSCIBE", "UNSUSCRIBE", "UNSUBSRIBE", "UNSUBSCRIBED",
        "UNSUBSCRIBEME", "OPTOUTPLEASE", "ALTO", "PARA", "PARAR", "PARE", "DETENER", "CANCELAR", "BAJA", "BASTA", "REMOVE", "DELETE",
    ]

    /// Words that may surround a bare "stop" in a short polite revocation:
    /// "Stop please", "please stop now", "stop it thanks".
    static let politeWords: Set<String> = [
        "please", "pls", "plz", "plse", "now", "thanks", "thank", "you", "thx", "ty", "it", "already", "asap", "ok", "okay", "sorry",
        "just", "them", "this", "these", "that", "me", "the", "immediately", "lol", "omg", "k", "seriously", "por", "favor", "ya",
        "no", "more", "for", "real", "god's", "sake", "texts", "messages", "msgs", "texting", "man", "dude", "again", "i", "said",
    ]
    static let stopWords: Set<String> = ["stop", "unsubscribe", "optout", "alto", "basta", "para", "parar"]

    /// A phrase preceded (within three words) by one of these is not a
    /// revocation: "please don't remove me", "do not stop the reminders".
    static let negations = ["don't", "dont", "not", "never", "won't", "wont", "didn't", "didnt", "doesn't", "doesnt", "no need"]

    /// The revocation phrases as words, by first word: a message is read
    /// once, looking up only the phrases that can start at each word.
    let phrasesByFirstWord: [String: [[String]]]

    public init(extraRevocationPhrases: [String] = []) {
        var index = Self.defaultPhraseIndex
        for phrase in extraRevocationPhrases { Self.add(phrase, to: &index) }
        phrasesByFirstWord = index
    }

    static let defaultPhraseIndex: [String: [[String]]] = {
        var index: [String: [[String]]] = [:]
        for phrase in defaultRevocationPhrases { add(phrase, to: &index) }
        return index
    }()

    private static func add(_ phrase: String, to index: inout [String: [[String]]]) {
        let words = normalizedText(phrase).split(separator: " ").map(String.init)
        if let first = words.first { index[first, default: []].append(words) }
    }

    public func classify(_ body: String) -> Kind? {
        let word = Self.normalizedKeyword(body)
        if Self.optOutKeywords.contains(word) { return .optOut }
        if Self.optInKeywords.contains(word) { return .optIn }
        if Self.helpKeywords.contains(word) { return .help }
        if Self.keywordLikeWords.contains(word) { return .possibleRevocation }
        let words = Self.normalizedText(body).split(separator: " ").map(String.init)
        if Self.isPoliteStop(words) { return .possibleRevocation }
        // "Who is this? STOP": one sentence of the message is a keyword on its own.
        let sentences = body.split(whereSeparator: { ".!?\n;".contains($0) })
            .map { Self.normalizedText(String($0)).split(separator: " ").map(String.init) }
        if sentences.count > 1, sentences.contains(where: { sentence in
            sentence.count == 1 && [Self.optOutKeywords, Self.keywordLikeWords].contains { $0.contains(sentence[0].uppercased()) }
                || Self.isPoliteStop(sentence)
        }) {
            return .possibleRevocation
        }
        return containsUnnegatedPhrase(words) ? .possibleRevocation : nil
    }

    /// Whether a revocation phrase occurs in `words` with no negation just before it.
    func containsUnnegatedPhrase(_ words: [String]) -> Bool {
        for (start, word) in words.enumerated() {
            for phrase in phrasesByFirstWord[word] ?? [] where start + phrase.count <= words.count {
                if phrase.indices.allSatisfy({ words[start + $0] == phrase[$0] }), !Self.isNegated(at: start, in: words) { return true }
            }
        }
        return false
    }

    /// A short message of a stop word and politeness only.
    static func isPoliteStop(_ words: [String]) -> Bool {
        guard words.count <= 7, words.contains(where: stopWords.contains) else { return false }
        let allPolite = words.allSatisfy { stopWords.contains($0) || politeWords.contains($0) }
        return allPolite && !isNegated(at: words.firstIndex(where: stopWords.contains)!, in: words)
    }

    static func isNegated(at index: Int, in words: [String]) -> Bool {
        let before = words[max(0, index - 3)..<index].joined(separator: " ")
        let padded = " " + before + " "
        return negations.contains { padded.contains(" " + $0 + " ") }
    }

    /// The message as one keyword: letters only, upper-cased; "Opt-out!" → "OPTOUT".
    static func normalizedKeyword(_ body: String) -> String {
        // Most messages are sentences: one pass over the scalars settles it before any string is built.
        let scalars = body.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isFiller($0) }), let last = scalars.lastIndex(where: { !isFiller($0) }) else { return "" }
        let core = scalars[first...last]
        guard core.count <= 64 else { return "" }
        let trimmed = String(core)
        guard trimmed.count <= 16, !trimmed.contains(where: { $0.isWhitespace && $0 != " " }) else { return "" }
        let compact = trimmed.filter { $0.isLetter || $0 == "-" || $0 == " " }
        // "opt out", "opt-out" and "stop all" are the same keyword to a person
        let joined = compact.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: " ", with: "")
        guard joined.count == compact.filter({ $0 != "-" && $0 != " " }).count else { return "" }
        return joined.uppercased()
    }

    /// Whitespace, punctuation or a symbol: what may surround a keyword ("STOP!", " stop. ").
    private static func isFiller(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .connectorPunctuation, .dashPunctuation, .openPunctuation,
             .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol,
             .otherSymbol:
            return true
        default:
            return scalar.properties.isWhitespace
        }
    }

    /// Lower-cased words separated by single spaces, punctuation other than apostrophes removed.
    static func normalizedText(_ body: String) -> String {
        normalizedASCII(body) ?? normalizedCharacters(body)
    }

    /// `normalizedText` by characters, for any text.
    static func normalizedCharacters(_ body: String) -> String {
        let mapped = body.lowercased().map { character -> Character in
            if character == "’" { return "'" }
            return character.isLetter || character.isNumber || character == "'" ? character : " "
        }
        return String(mapped).split(separator: " ").joined(separator: " ")
    }

    /// `normalizedText` of an ASCII text, byte by byte: an ASCII letter or
    /// digit is exactly what `Character.isLetter`/`isNumber` accept there,
    /// and the audit normalises every text ever sent. Nil for other texts.
    private static func normalizedASCII(_ body: String) -> String? {
        var body = body
        return body.withUTF8 { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var words: [UInt8] = []
            words.reserveCapacity(bytes.count)
            var pendingSpace = false
            for byte in bytes {
                let lowered = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                guard (0x61...0x7A).contains(lowered) || (0x30...0x39).contains(lowered) || lowered == UInt8(ascii: "'") else {
                    pendingSpace = !words.isEmpty
                    continue
                }
                if pendingSpace { words.append(0x20) }
                pendingSpace = false
                words.append(lowered)
            }
            return String(decoding: words, as: UTF8.self)
        }
    }
}
