/// A version of the rules the send gate applies, recorded in every send
/// commit (`Parley-Rules:`). It is a digest of the tables the decisions
/// depend on—the state quiet-hours table, the keyword lists, the phrase
/// list of possible revocations, the area-code and country zone tables, the
/// state frequency limits and the public link shorteners—so
/// it changes whenever any of them does, and an audit knows which rules a
/// past decision was made under.
public enum RulesVersion {
    public static let current: String = {
        let states = QuietHours.states.keys.sorted().map { name -> String in
            let rule = QuietHours.states[name]!
            return [name, rule.weekday.text, rule.saturday?.text ?? "-", rule.sunday?.text ?? "-", rule.holidays?.text ?? "-"].joined(separator: " ")
        }
        let parts = states + [QuietHours.federal.weekday.text]
            + KeywordClassifier.optOutKeywords.sorted() + KeywordClassifier.optInKeywords.sorted() + KeywordClassifier.helpKeywords.sorted()
            + KeywordClassifier.defaultRevocationPhrases + KeywordClassifier.negations
            + [PhoneMetadata.areaCodeTable, PhoneMetadata.numberZoneTable]
            + FrequencyLimit.states.keys.sorted().map { "\($0) \(FrequencyLimit.states[$0]!.maximum) \(FrequencyLimit.states[$0]!.window)" }
            + ContentCheck.publicShorteners
        return StableID.make(prefix: "rules-", from: parts).prefix(18).description
    }()
}
