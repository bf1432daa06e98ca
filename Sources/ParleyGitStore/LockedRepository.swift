import Foundation
import Git

/// A libgit2 repository handle that only one thread uses at a time.
/// libgit2 objects are not thread-safe; every access goes through `with`,
/// which holds the lock for the whole call—hence the unchecked Sendable.
final class LockedRepository: @unchecked Sendable {
    private let repository: Repository
    private let lock = NSLock()

    init(_ repository: Repository) { self.repository = repository }

    func with<T>(_ body: (Repository) throws(GitError) -> T) throws(GitError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(repository)
    }
}
