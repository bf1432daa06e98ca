internal import CLibGit2
import Foundation

/// Who made a commit and when, as a value type (libgit2's `git_signature`
/// is copied in and out so no C memory outlives a call).
public struct Signature: Sendable, Equatable {
    public var name: String
    public var email: String
    public var time: Date
    /// Offset from UTC in minutes, as recorded in the commit.
    public var offsetMinutes: Int

    public init(name: String, email: String, time: Date, offsetMinutes: Int = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    init(_ pointer: UnsafePointer<git_signature>) {
        let signature = pointer.pointee
        name = String(cString: signature.name)
        email = String(cString: signature.email)
        time = Date(timeIntervalSince1970: TimeInterval(signature.when.time))
        offsetMinutes = Int(signature.when.offset)
    }

    /// Lends a libgit2 signature for the duration of `body`.
    /// The corresponding libgit2 function is `git_signature_new`.
    func withRaw<T>(_ body: (UnsafePointer<git_signature>) throws(GitError) -> T) throws(GitError) -> T {
        let seconds = git_time_t(time.timeIntervalSince1970.rounded(.down)), offset = Int32(offsetMinutes)
        let create = { (raw: inout UnsafeMutablePointer<git_signature>?) in git_signature_new(&raw, name, email, seconds, offset) }
        return try withHandle("git_signature_new", create: create, free: git_signature_free) { raw throws(GitError) in try body(raw) }
    }
}
