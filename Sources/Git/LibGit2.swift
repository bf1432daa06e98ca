internal import CLibGit2
import Foundation
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
        // libgit2 reads packs through mapped windows of 1 GiB, kept mapped
        // up to 8 GiB, and every page read stays resident while its window
        // is mapped: a process that reads the whole mailbox (a first index
        // at a million messages, a 2.6 GiB pack) held most of the pack in
        // memory. Windows of 64 MiB, at most 256 MiB mapped, bound that;
        // a window unmapped is mapped again at the cost of a system call.
        // The corresponding libgit2 options are `GIT_OPT_SET_MWINDOW_SIZE` and `GIT_OPT_SET_MWINDOW_MAPPED_LIMIT`.
        if result >= 0 { _ = parley_git_set_pack_windows(64 << 20, 256 << 20) }
        // The object cache may hold 256 MiB by default; what Parley reads
        // again is a few folders' trees, and the first index at a million
        // messages took as long with 64 MiB (35.5 s) and peaked 75 MB lower.
        // The corresponding libgit2 option is `GIT_OPT_SET_CACHE_MAX_SIZE`.
        if result >= 0 { _ = parley_git_set_cache_max_size(64 << 20) }
        // libgit2 hashes every object it reads again, with the collision-
        // detecting SHA-1, to compare with the id asked for; git itself
        // does not (its `fsck` does). Every object here was hashed when it
        // was written or indexed on arrival, and zlib's checksum still
        // guards each stored object against a damaged disk; hashing a
        // folder of a thousand conversations again on every read was
        // a cost of every read at a million messages.
        // The corresponding libgit2 option is `GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION`.
        if result >= 0 { _ = parley_git_set_strict_hash_verification(LibGit2.verifiesReads ? 1 : 0) }
        return result
    }()

    /// `PARLEY_VERIFY_READS=1` has every object read through libgit2, with its hash check of each one back on (to compare, or to hunt a damaged disk).
    static let verifiesReads = ProcessInfo.processInfo.environment["PARLEY_VERIFY_READS"] == "1"

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

    /// Runs `body` with libgit2's object cache off, for work that reads
    /// each tree about once and keeps what it needs itself (a history
    /// rewrite). Full, the cache evicts and probes on every object it
    /// stores: erasing one person from 230k commits took 160 s and 1.4 GB
    /// with it and takes 110 s and 0.6 GB without. The switch is
    /// process-wide, so it is counted: the cache comes back when the last
    /// holder is done, and meanwhile other readers are only slower.
    /// The corresponding libgit2 option is `GIT_OPT_ENABLE_CACHING`.
    public static func withObjectCacheOff<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        ensureInitialized()
        cacheOffHolders.withLock { holders in
            if holders == 0 { _ = parley_git_enable_caching(0) }
            holders += 1
        }
        defer {
            cacheOffHolders.withLock { holders in
                holders -= 1
                if holders == 0 { _ = parley_git_enable_caching(1) }
            }
        }
        return try body()
    }

    private static let cacheOffHolders = Mutex<Int>(0)

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
