/// A failure a person must act on, worded as what happened, where, and
/// what to do next. The command line maps each case to an exit status.
public enum ParleyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Something typed on the command line or sent to a webhook is unusable.
    case invalidInput(String)
    /// A file in the mailbox does not follow the format.
    case malformed(FormatIssue)
    /// No mailbox where one was expected.
    case noMailbox(String)
    /// The thing asked for does not exist.
    case notFound(String)
    /// The thing to create exists already.
    case alreadyExists(String)
    /// The repository could not be read or written.
    case storage(String)
    /// The gateway refused or failed the request; nothing was sent.
    case gateway(String)
    /// The gateway may or may not have sent the message; it is recorded as in doubt.
    case inDoubt(String)
    /// A compliance rule stopped the message before it left the machine.
    case refused(String)
    /// The repository holds a conflict a person has to resolve.
    case conflict(String)
    /// The review policy holds the text for a second person's approval; nothing was sent.
    case awaitingApproval(String)

    public var description: String {
        switch self {
        case .invalidInput(let text), .noMailbox(let text), .notFound(let text), .alreadyExists(let text),
            .storage(let text), .gateway(let text), .inDoubt(let text), .refused(let text), .conflict(let text),
            .awaitingApproval(let text):
            return text
        case .malformed(let issue):
            return issue.description
        }
    }
}

/// A problem in a mailbox file, reported as `path:line: problem` so editors
/// and terminals can jump to it.
public struct FormatIssue: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    /// 1-based line; nil when the problem is the file as a whole.
    public let line: Int?
    public let problem: String

    public init(path: String, line: Int?, problem: String) {
        self.path = path
        self.line = line
        self.problem = problem
    }

    public var description: String {
        if let line { return "\(path):\(line): \(problem)" }
        return "\(path): \(problem)"
    }
}
