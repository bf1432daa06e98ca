internal import CLibGit2

/// A failure reported by libgit2, with the function that failed and the
/// library's own explanation, so a caller can tell a moved tip from a lock.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// The raw libgit2 return code, with names for the ones callers branch on.
    public struct Code: Equatable, Hashable, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let generic = Code(rawValue: GIT_ERROR.rawValue)
        public static let notFound = Code(rawValue: GIT_ENOTFOUND.rawValue)
        public static let exists = Code(rawValue: GIT_EEXISTS.rawValue)
        public static let bareRepository = Code(rawValue: GIT_EBAREREPO.rawValue)
        public static let unbornBranch = Code(rawValue: GIT_EUNBORNBRANCH.rawValue)
        public static let nonFastForward = Code(rawValue: GIT_ENONFASTFORWARD.rawValue)
        public static let conflict = Code(rawValue: GIT_ECONFLICT.rawValue)
        public static let locked = Code(rawValue: GIT_ELOCKED.rawValue)
        /// The reference moved since it was read: the compare-and-swap lost.
        public static let modified = Code(rawValue: GIT_EMODIFIED.rawValue)
        public static let authentication = Code(rawValue: GIT_EAUTH.rawValue)
        public static let certificate = Code(rawValue: GIT_ECERTIFICATE.rawValue)
        public static let user = Code(rawValue: GIT_EUSER.rawValue)
        public static let invalid = Code(rawValue: GIT_EINVALID.rawValue)
        public static let mergeConflict = Code(rawValue: GIT_EMERGECONFLICT.rawValue)
        public static let owner = Code(rawValue: GIT_EOWNER.rawValue)
    }

    /// The part of libgit2 that failed (`git_error_t`), with names for the ones callers branch on.
    public struct Subsystem: Equatable, Hashable, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let none = Subsystem(rawValue: Int32(GIT_ERROR_NONE.rawValue))
        public static let os = Subsystem(rawValue: Int32(GIT_ERROR_OS.rawValue))
        public static let reference = Subsystem(rawValue: Int32(GIT_ERROR_REFERENCE.rawValue))
        public static let objectDatabase = Subsystem(rawValue: Int32(GIT_ERROR_ODB.rawValue))
        public static let network = Subsystem(rawValue: Int32(GIT_ERROR_NET.rawValue))
        public static let ssh = Subsystem(rawValue: Int32(GIT_ERROR_SSH.rawValue))
        public static let callback = Subsystem(rawValue: Int32(GIT_ERROR_CALLBACK.rawValue))
    }

    public let code: Code
    public let subsystem: Subsystem
    /// The libgit2 function that failed, e.g. `git_commit_create`.
    public let function: String
    /// libgit2's message, or a generic one when it left none (1.5.1 may).
    public let message: String

    public init(code: Code, subsystem: Subsystem = .none, function: String, message: String) {
        self.code = code
        self.subsystem = subsystem
        self.function = function
        self.message = message
    }

    public var description: String { "\(function): \(message)" }
}

/// The single choke point that turns a libgit2 return value into a thrown
/// error. It reads `git_error_last()` immediately, before anything else can
/// overwrite the thread-local error slot.
@inline(__always)
func check(_ result: Int32, _ function: String) throws(GitError) {
    guard result < 0 else { return }
    throw lastError(result, function)
}

/// Builds a `GitError` from the thread's last libgit2 error.
func lastError(_ result: Int32, _ function: String) -> GitError {
    let message: String
    var subsystem = GitError.Subsystem.none
    if let last = git_error_last(), let text = last.pointee.message {
        message = String(cString: text)
        subsystem = .init(rawValue: last.pointee.klass)
    } else {
        message = "libgit2 returned \(result) without a message"
    }
    return GitError(code: .init(rawValue: result), subsystem: subsystem, function: function, message: message)
}
