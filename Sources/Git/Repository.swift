internal import CLibGit2
import Foundation

/// An open Git repository. libgit2 handles are not thread-safe, so a
/// `Repository` must be used from one thread (or under one lock) at a time;
/// the mailbox store owns one behind a mutex.
public final class Repository {
    let pointer: OpaquePointer

    /// The `.git` directory (or the repository itself when bare), with a trailing slash.
    public let gitDirectory: String
    /// The work tree with a trailing slash, or nil for a bare repository.
    public let workingDirectory: String?
    /// The in-memory object backend, once `bufferObjectWrites` attached it.
    var mempack: UnsafeMutablePointer<git_odb_backend>?
    /// The trees this handle wrote or read lately (`RecentTrees`).
    var recentTrees = RecentTrees()
    /// Objects read straight from the packs (`PackedObjects`); nil when
    /// `PARLEY_VERIFY_READS=1` has libgit2 read, and hash, every object.
    lazy var packedObjects: PackedObjects? = LibGit2.verifiesReads ? nil : PackedObjects(directory: gitDirectory + "objects/pack")

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
        gitDirectory = String(cString: git_repository_path(pointer))
        workingDirectory = git_repository_workdir(pointer).map { String(cString: $0) }
    }

    deinit { git_repository_free(pointer) }

    public var isBare: Bool { workingDirectory == nil }

    /// Opens the repository at `path`, or—when `searchParents` is set—the
    /// nearest one found walking up from `path`. Returns nil when there is none.
    /// The corresponding libgit2 function is `git_repository_open_ext`.
    public static func open(at path: String, searchParents: Bool = false) throws(GitError) -> Repository? {
        LibGit2.ensureInitialized()
        var raw: OpaquePointer?
        let flags = searchParents ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
        let result = git_repository_open_ext(&raw, path, flags, nil)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_repository_open_ext")
        return Repository(pointer: raw!)
    }

    /// Creates a new repository whose first branch is `initialBranch`.
    /// The corresponding libgit2 function is `git_repository_init_ext`.
    public static func create(at path: String, bare: Bool = false, initialBranch: String = "main") throws(GitError) -> Repository {
        LibGit2.ensureInitialized()
        var options = git_repository_init_options()
        try check(git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)), "git_repository_init_options_init")
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        if bare { options.flags |= GIT_REPOSITORY_INIT_BARE.rawValue }
        var raw: OpaquePointer?
        let result = initialBranch.withCString { branch in
            options.initial_head = branch
            return git_repository_init_ext(&raw, path, &options)
        }
        try check(result, "git_repository_init_ext")
        return Repository(pointer: raw!)
    }

    /// The commit HEAD points at, or nil while the branch is unborn.
    /// The corresponding libgit2 function is `git_reference_name_to_id`.
    public func headCommitID() throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, "HEAD")
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EUNBORNBRANCH.rawValue { return nil }
        try check(result, "git_reference_name_to_id")
        return ObjectID(oid)
    }

    /// The full name of the branch HEAD points at (e.g. `refs/heads/main`),
    /// or nil when HEAD is detached.
    /// The corresponding libgit2 function is `git_reference_symbolic_target`.
    public func headBranchName() throws(GitError) -> String? {
        try withHandle("git_reference_lookup", create: { git_reference_lookup(&$0, pointer, "HEAD") }, free: git_reference_free) { ref in
            git_reference_symbolic_target(ref).map { String(cString: $0) }
        }
    }

    /// Reads a string from the repository's configuration (and the user's
    /// global one), nil when unset.
    /// The corresponding libgit2 function is `git_config_get_string_buf`.
    public func configString(_ key: String) throws(GitError) -> String? {
        let snapshot = { (config: inout OpaquePointer?) in git_repository_config_snapshot(&config, self.pointer) }
        return try withHandle("git_repository_config_snapshot", create: snapshot, free: git_config_free) { config throws(GitError) in
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            let result = git_config_get_string_buf(&buffer, config, key)
            if result == GIT_ENOTFOUND.rawValue { return nil }
            try check(result, "git_config_get_string_buf")
            return String(cString: buffer.ptr)
        }
    }
}
