import ArgumentParser
import Crypto
import Foundation
import ParleyCore

struct ConsentGrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Record that a customer agreed to receive messages.",
        discussion: """
            Record the disclosure exactly as the customer saw it, what the messages are
            for, and how consent was given. Keep the records at least five years after
            the last message (FTC TSR 16 CFR 310.5; TCPA claims run four years).

            Examples:
              parley consent grant "(312) 555-0147" --name "Sarah Lee" \\
                --disclosure "I agree to receive appointment texts from Bright Smile Dental. Msg & data rates may apply. Reply STOP to opt out." \\
                --purpose "appointment reminders" --method web_form --url https://brightsmile.example/book --ip 203.0.113.9
              parley consent grant +13125550147 --disclosure "…" --purpose "billing questions" --method paper --evidence-file scan.pdf
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Option(help: "The customer's name as given.") var name: String?
    @Option(help: "The consent text exactly as the customer saw it.") var disclosure: String
    @Option(help: "What the messages are for, e.g. appointment reminders.") var purpose: String
    @Option(help: "How consent was given: web_form, paper, verbal, keyword or import.") var method: ConsentEvent.Method
    @Option(help: "Where: a form's URL, a file name, a phone call's reference.") var source: String?
    @Option(help: "Evidence: the IP address the form was submitted from.") var ip: String?
    @Option(help: "Evidence: the URL of the form or page.") var url: String?

    @Option(help: ArgumentHelp("Evidence: a file (a signed form's scan); its SHA-256 is recorded, not the file.", valueName: "path"))
    var evidenceFile: String?

    @Option(help: ArgumentHelp("When consent was given, ISO 8601 with offset (default: now).", valueName: "time")) var time: ExactTime?
    @Option(help: "A note for the record.") var note: String?

    func validate() throws {
        guard method != .review else {
            throw ValidationError("--method must be one of web_form, paper, verbal, keyword, import")
        }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let customer = try customer.number(in: mailbox)
            let hash = try evidenceFile.map(FileHash.sha256)
            let commit = try mailbox.consent.grant(
                customer, name: name, disclosure: disclosure, purpose: purpose, method: method, source: source,
                evidenceIP: ip, evidenceURL: url, evidenceFileHash: hash, time: time?.date, note: note)
            context.output.line("Recorded consent of \(customer.formatted) for \(purpose)" + (commit.map { " (commit \($0.shortID))" } ?? ""))
            let (state, _) = try mailbox.consent.ledger(customer)
            if state.status == .optedOut {
                context.output.error("parley: note: \(customer.e164) opted out by text, and that still blocks every send: "
                                     + "only the customer can opt back in, by texting START")
            }
        }
    }
}

/// SHA-256 of a file, as `sha256:HEX`, for evidence records.
enum FileHash {
    static func sha256(_ path: String) throws(ParleyError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw .invalidInput("cannot read \(path)") }
        return sha256(data)
    }

    static func sha256(_ data: Data) -> String {
        "sha256:" + SHA256.hash(data: data).hexString
    }
}
