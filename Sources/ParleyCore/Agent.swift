/// The person (or server) acting on the mailbox: the author of its commits
/// and the name used in assignments.
public struct Agent: Sendable, Equatable, Codable {
    /// Short name used in `assign`, `--mine` and message files, e.g. `dana`.
    public let handle: String
    public let name: String
    public let email: String

    public init(handle: String, name: String, email: String) {
        self.handle = handle
        self.name = name
        self.email = email
    }

    /// The handle Parley itself acts under: keyword replies and the consent
    /// changes a customer's keyword makes. Reports count its texts as
    /// automatic, and the audit holds them to one confirmation per opt-out.
    public static let systemHandle = "parley"

    /// Accepts a handle of letters, digits, `.`, `_` and `-`.
    public static func isValidHandle(_ handle: String) -> Bool {
        !handle.isEmpty && handle.count <= 64
            && handle.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
            && !handle.hasPrefix("-") && !handle.hasPrefix(".")
    }
}
