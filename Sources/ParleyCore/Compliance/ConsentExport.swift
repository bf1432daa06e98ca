import Foundation

/// Consent records as CSV, for a business that also texts from another
/// system: the numbers opted out now, each with the record that opted it
/// out and its evidence, or every record. `parley consent import
/// --opt-outs` reads the opt-out file back.
public struct ConsentExport: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    public static let header = ["phone", "name", "event", "time", "method", "source", "line", "message_id", "disclosure", "purpose", "ip", "url",
                                "evidence_file_sha256", "actor", "note"]

    /// The CSV: with `everyRecord`, every consent record of every number; else one row per number opted out now.
    public func csv(everyRecord: Bool) throws(ParleyError) -> (text: String, rows: Int) {
        let snapshot = try store.snapshot()
        let scan = try store.index().conversations(at: snapshot, onlyUnderReview: false, progress: nil)
        if let problem = scan.problems.first { throw problem }
        var text = CSVWriter.row(Self.header), rows = 0
        for summary in scan.summaries where everyRecord || summary.consent.status == .optedOut {
            let events = try Conversation.consentEvents(of: summary.number, in: snapshot)
            let chosen = everyRecord ? events : events.last { $0.kind == .optedOut || ($0.kind == .reviewResolved && $0.resolution == "opt_out") }
                .map { [$0] } ?? []
            for event in chosen {
                text += CSVWriter.row([
                    event.number.e164, event.name ?? "", event.kind.rawValue, Timestamp.format(event.time), event.method?.rawValue ?? "",
                    event.source ?? "", event.line?.e164 ?? "", event.messageID ?? "", event.disclosure ?? "", event.purpose ?? "",
                    event.evidenceIP ?? "", event.evidenceURL ?? "", event.evidenceFileHash ?? "", event.actor, event.note ?? "",
                ])
                rows += 1
            }
        }
        return (text, rows)
    }
}
