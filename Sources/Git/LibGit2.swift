internal import CLibGit2
import Synchronization

/// Process-wide libgit2 state. libgit2 must be initialised once before any
/// other call; every entry point of this module goes through `ensureInitialized`.
public enum LibGit2 {
    private static let initialization: Int32 = {
        let result = git_libgit2_init()
        // libgit2 caches parsed trees only up to 4 KiB by default; a mailbox's
        // shard trees hold hundreds or thousands of entries and are read on
        // every path lookup, so uncached they are inflated and parsed again
        // each time (a full index rebuild at 100k conversations: 253 s).
        // The corresponding libgit2 option is `GIT_OPT_SET_CACHE_OBJECT_LIMIT`.
        if result >= 0 { _ = parley_git_set_tree_cache_limit(4 << 20) }
        return result
    }()

    static func ensureInitialized() {
        precondition(initialization >= 0, "git_libgit2_init failed")
    }

    /// Makes libgit2 fsync objects, references and the index before it
    /// reports success, so a durable writer can acknowledge after a commit.
    /// The corresponding libgit2 option is `GIT_OPT_ENABLE_FSYNC_GITDIR`.
    public static func setFsync(_ enabled: Bool) throws(GitError) {
        ensureInitialized()
        try check(parley_git_set_fsync(enabled ? 1 : 0), "git_libgit2_opts")
        fsync.store(enabled, ordering: .relaxed)
    }

    private static let fsync = Atomic<Bool>(false)

    /// Whether `setFsync(true)` is in force, for writers that fsync on their own.
    public static var isFsyncEnabled: Bool { fsync.load(ordering: .relaxed) }

    /// The libgit2 version this process runs with, e.g. "1.5.1".
    public static var version: String {
        let (major, minor, patch) = versionNumbers
        return "\(major).\(minor).\(patch)"
    }

    static var versionNumbers: (major: Int32, minor: Int32, patch: Int32) {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        git_libgit2_version(&major, &minor, &patch)
        return (major, minor, patch)
    }

    /// Whether a revision walk starts from its pushed and hidden commits in
    /// the order they were given (libgit2 before 1.7) rather than in the
    /// reverse order (1.7 and later).
    static let walksStartsInOrderGiven: Bool = {
        let (major, minor, _) = versionNumbers
        return (major, minor) < (1, 7)
    }()
}
