import Foundation

/// Where everything lives in a mailbox repository (docs/FORMAT.md).
///
///     parley.yaml
///     tone.md
///     templates/NAME.md
///     conversations/23/+15550100123/contact.md
///     conversations/23/+15550100123/messages/20260309T013000000Z-01JN….md
///     conversations/23/+15550100123/receipts/01JN….delivered.yaml
///     conversations/23/+15550100123/events/20260309T013500000Z-01JN….yaml
///     conversations/23/+15550100123/consent/20260301T160000000Z-01JN….yaml
///     conversations/23/+15550100123/media/9f86d081….jpg
///     outbox/20260309T140000000Z-01JN….md
///     drafts/dana/+15550100123.md
///
/// Conversations fan out by the last two digits of the number: 100 folders
/// a person can navigate, and narrow trees that keep commits fast.
public enum MailboxLayout {
    public static let configFile = "parley.yaml"
    public static let toneGuide = "tone.md"
    /// The SSH keys whose signatures make an approval count (`review.require_signed`), in git's allowed-signers format.
    public static let allowedSigners = "allowed_signers"
    public static let templatesDirectory = "templates"
    public static let conversationsDirectory = "conversations"

    public static func conversationDirectory(_ number: PhoneNumber) -> String {
        "\(conversationsDirectory)/\(String(number.e164.suffix(2)))/\(number.e164)"
    }

    public static func contactPath(_ number: PhoneNumber) -> String {
        conversationDirectory(number) + "/contact.md"
    }

    public static func messagesDirectory(_ number: PhoneNumber) -> String {
        conversationDirectory(number) + "/messages"
    }

    public static func messagePath(_ number: PhoneNumber, time: Date, id: String) -> String {
        "\(messagesDirectory(number))/\(messageFileName(time: time, id: id))"
    }

    public static func messageFileName(time: Date, id: String) -> String {
        "\(Timestamp.fileStamp(time))-\(id).md"
    }

    /// The message id in a message file name, nil for other files.
    public static func messageID(fromFileName name: String) -> String? {
        guard name.hasSuffix(".md"), let dash = name.firstIndex(of: "-") else { return nil }
        let id = String(name[name.index(after: dash)..<name.index(name.endIndex, offsetBy: -3)])
        return MessageID.isValid(id) ? id : nil
    }

    /// Media sent with the conversation's messages, named by their SHA-256 (`MessageMedia`).
    public static func mediaDirectory(_ number: PhoneNumber) -> String {
        conversationDirectory(number) + "/media"
    }

    public static func receiptsDirectory(_ number: PhoneNumber) -> String {
        conversationDirectory(number) + "/receipts"
    }

    public static func receiptPath(_ number: PhoneNumber, messageID: String, status: DeliveryStatus) -> String {
        "\(receiptsDirectory(number))/\(messageID).\(status.rawValue).yaml"
    }

    public static func eventsDirectory(_ number: PhoneNumber) -> String {
        conversationDirectory(number) + "/events"
    }

    public static func eventPath(_ number: PhoneNumber, time: Date, id: String) -> String {
        stampedRecord(in: eventsDirectory(number), time: time, id: id)
    }

    /// A record file named by its time and id, so a folder lists in time order and two writers never share a name.
    private static func stampedRecord(in directory: String, time: Date, id: String) -> String {
        "\(directory)/\(Timestamp.fileStamp(time))-\(id).yaml"
    }

    public static func consentDirectory(_ number: PhoneNumber) -> String {
        conversationDirectory(number) + "/consent"
    }

    public static func consentPath(_ number: PhoneNumber, time: Date, id: String) -> String {
        stampedRecord(in: consentDirectory(number), time: time, id: id)
    }

    /// Outcomes imported from other systems (an appointment book's shows and no-shows).
    public static func outcomesDirectory(_ number: PhoneNumber) -> String {
        conversationDirectory(number) + "/outcomes"
    }

    public static func outcomePath(_ number: PhoneNumber, time: Date, id: String) -> String {
        stampedRecord(in: outcomesDirectory(number), time: time, id: id)
    }

    /// What automations did for a customer: texts sent, holdouts, answers read (`AutomationRecord`).
    public static func automationRecordsDirectory(_ number: PhoneNumber) -> String {
        conversationDirectory(number) + "/automations"
    }

    public static func automationRecordPath(_ number: PhoneNumber, time: Date, id: String) -> String {
        stampedRecord(in: automationRecordsDirectory(number), time: time, id: id)
    }

    /// Appointments imported from another system, for the automations that remind of them.
    public static func appointmentsDirectory(_ number: PhoneNumber) -> String {
        conversationDirectory(number) + "/appointments"
    }

    public static func appointmentPath(_ number: PhoneNumber, time: Date, id: String) -> String {
        stampedRecord(in: appointmentsDirectory(number), time: time, id: id)
    }

    /// The business's sender lines' own records (pauses and resumptions).
    public static let linesDirectory = "lines"

    public static func lineEventsDirectory(_ line: PhoneNumber) -> String {
        "\(linesDirectory)/\(line.e164)/events"
    }

    public static func lineEventPath(_ line: PhoneNumber, time: Date, id: String) -> String {
        stampedRecord(in: lineEventsDirectory(line), time: time, id: id)
    }

    public static let outboxDirectory = "outbox"

    public static func outboxPath(time: Date, id: String) -> String {
        "\(outboxDirectory)/\(Timestamp.fileStamp(time))-\(id).md"
    }

    /// An outbox entry by the file name a listing of `outbox/` gave.
    public static func outboxPath(fileName: String) -> String { "\(outboxDirectory)/\(fileName)" }

    /// Where a delivery report no message claims is kept: by gateway, the id it carried and its status.
    public static func unmatchedReceiptPath(gateway: String, key: String, status: DeliveryStatus) -> String {
        "\(unmatchedReceiptsDirectory)/\(gateway)/\(key).\(status.rawValue).yaml"
    }

    /// Delivery reports for messages Parley cannot place, kept, never dropped.
    public static let unmatchedReceiptsDirectory = "unmatched-receipts"

    public static let draftsDirectory = "drafts"

    /// Drafts are per agent, so two people drafting to one customer never touch the same file.
    public static func draftPath(agent: String, number: PhoneNumber) -> String {
        "\(draftsDirectory)/\(agent)/\(number.e164).md"
    }

    public static func templatePath(_ name: String) -> String {
        "\(templatesDirectory)/\(name).md"
    }

    /// Format 2: the branch machine-written records live on. It is never
    /// checked out: read it with `git log mailbox`, `git show mailbox:PATH`.
    public static let recordsBranch = "mailbox"

    /// Whether a path lives on the records branch in format 2: everything
    /// under conversations/ (messages, receipts, events, consent, contacts),
    /// the outbox and unplaced receipts. What people edit in an editor—
    /// parley.yaml, tone.md, templates/, drafts/—stays on the checked-out branch.
    public static func isOnRecordsBranch(_ path: String) -> Bool {
        let top = path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? path
        return [conversationsDirectory, outboxDirectory, unmatchedReceiptsDirectory, erasuresDirectory, suppressedDirectory, linesDirectory]
            .contains(top)
    }

    /// Erasure records: when, who, why and how much—never what was erased.
    public static let erasuresDirectory = "erasures"

    public static func erasurePath(time: Date, id: String) -> String {
        "\(erasuresDirectory)/\(Timestamp.fileStamp(time))-\(id).yaml"
    }

    /// Numbers nobody may text again, as keyed hashes (`SuppressionList`).
    public static let suppressedDirectory = "suppressed"

    /// Whether a path is an append-only record Parley writes (a message,
    /// receipt, event, consent record): these never conflict in a merge.
    /// Everything else is edited by hand and merged like any text.
    public static func isRecordPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        if parts.first == "\(unmatchedReceiptsDirectory)" { return true }
        if parts.count == 4, parts[0] == "\(linesDirectory)", parts[2] == "events" { return true }
        guard parts.count == 5, parts[0] == "\(conversationsDirectory)" else { return false }
        return ["messages", "receipts", "events", "consent", "automations"].contains(String(parts[3]))
    }

    /// Path parts that must never be committed: credentials belong outside
    /// the repository, and the tool refuses to store them even by mistake.
    public static func isSecretPath(_ path: String) -> Bool {
        let parts = path.lowercased().split(separator: "/").map(String.init)
        guard let name = parts.last else { return false }
        if parts.contains("secrets") || parts.contains(".secrets") { return true }
        if name == ".env" || name.hasPrefix(".env.") || name.hasPrefix("credentials") || name.hasSuffix(".credentials") { return true }
        return [".key", ".pem", ".p12", ".token"].contains { name.hasSuffix($0) }
    }
}
