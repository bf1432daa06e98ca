import ArgumentParser
import Foundation
import ParleyCore

/// How a message's text is given: `--body`, `--template` with `--set`, or
/// `--draft`; shared by `send`, `draft` and `lint`.
struct ComposeOptions: ParsableArguments {
    @Option(help: "The message text.") var body: String?
    @Option(help: ArgumentHelp("Fill this template (see 'parley template list').", valueName: "name")) var template: String?

    @Option(name: .customLong("set"),
        help: ArgumentHelp("A template variable, e.g. --set date=\"Thursday 12 March\" (repeatable).", valueName: "key=value"))
    var values: [String] = []

    @Flag(help: "Replace smart quotes, dashes and ellipses with plain ASCII so the message stays GSM-7.") var smartAscii = false

    func validateComposition(allowDraft draft: Bool) throws {
        let sources = [body != nil, template != nil, draft].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of --body, --template or --draft") }
        if !values.isEmpty && template == nil { throw ValidationError("--set goes with --template") }
        for value in values where !value.contains("=") { throw ValidationError("--set takes key=value, not '\(value)'") }
    }

    var variables: [String: String] {
        Dictionary(values.map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }, uniquingKeysWith: { _, last in last })
    }

    /// The text and template for `number`, from `--body` or `--template`.
    func compose(for number: PhoneNumber, in mailbox: Mailbox) throws(ParleyError) -> (String, MessageTemplate?) {
        if let template {
            let loaded = try mailbox.templates.template(template)
            let text = try mailbox.templates.fill(loaded, for: number, setting: variables)
            return (smartAscii ? SmartASCII.apply(text) : text, loaded)
        }
        let text = body ?? ""
        return (smartAscii ? SmartASCII.apply(text) : text, nil)
    }
}

/// `--override RULE --reason TEXT`, for rules the policy marks overridable.
struct OverrideOptions: ParsableArguments {
    @Option(name: .customLong("override"),
        help: ArgumentHelp("Override a rule the policy allows to be overridden (quiet_hours, first_contact, tone, segments); needs --reason.",
            valueName: "rule"))
    var rules: [ComplianceRule] = []

    @Option(help: "Why the override is right; recorded in the message and the commit.") var reason: String?

    func validate() throws {
        if !rules.isEmpty && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--override needs --reason TEXT: the reason is recorded with the message")
        }
    }

    func overrides(_ mailbox: Mailbox) throws(ParleyError) -> [ComplianceRule: String] {
        try mailbox.config.compliance.overrides(rules, reason: reason)
    }
}
