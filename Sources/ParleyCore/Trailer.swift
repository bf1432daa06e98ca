/// Every trailer Parley writes in a commit message (docs/FORMAT.md,
/// "Commit trailers"), spelled once: a misspelt key is a compile error,
/// not a commit `log` and the index can no longer find.
public enum Trailer: String, Sendable, CaseIterable {
    case action = "Parley-Action"
    case number = "Parley-Number"
    case messageID = "Parley-Message-Id"
    case eventID = "Parley-Event-Id"
    case status = "Parley-Status"
    case receipt = "Parley-Receipt"
    case gateway = "Parley-Gateway"
    case consent = "Parley-Consent"
    case quietHours = "Parley-Quiet-Hours"
    case firstContact = "Parley-First-Contact"
    case segments = "Parley-Segments"
    case rules = "Parley-Rules"
    case template = "Parley-Template"
    case override = "Parley-Override"
    case resend = "Parley-Resend"
    case replyPlanned = "Parley-Reply-Planned"
    case importFile = "Parley-Import-File"
    case importSHA256 = "Parley-Import-Sha256"
    case format = "Parley-Format"
    case recordsCommit = "Parley-Records-Commit"
    case erasure = "Parley-Erasure"
    /// Who approved a text the review policy held (never its author).
    case approvedBy = "Parley-Approved-By"
    /// Why the review policy held a text.
    case review = "Parley-Review"
    /// Who returned a held text to its author.
    case rejectedBy = "Parley-Rejected-By"
    /// The line a text went from, by name and number.
    case line = "Parley-Line"
    /// What the content rule found: clean, or the categories the line's campaign declares.
    case content = "Parley-Content"
    /// The state frequency limit a text was counted under, and the count.
    case frequency = "Parley-Frequency"
    /// The automation that sent a text, held a customer out or read an answer.
    case automation = "Parley-Automation"
}
