internal import CLibGit2
import Foundation

extension Repository {
    /// The URL of a remote, nil when there is no such remote.
    /// The corresponding libgit2 function is `git_remote_lookup`.
    public func remoteURL(_ name: String) -> String? {
        let url = try? withHandle("git_remote_lookup", create: { git_remote_lookup(&$0, pointer, name) }, free: git_remote_free) { remote in
            git_remote_url(remote).map { String(cString: $0) }
        }
        return url ?? nil
    }

    /// Fetches a remote's branches into `refs/remotes/NAME/*`.
    /// The corresponding libgit2 function is `git_remote_fetch`.
    /// A bare repository on this machine is fetched from directly (`fetchLocally`).
    public func fetch(remote name: String, authentication: RemoteAuthentication) throws(GitError) {
        if let peer = try localPeer(remote: name) { return try fetchLocally(from: peer, remote: name) }
        try withRemote(name, authentication) { remote, callbacks throws(GitError) in
            var options = git_fetch_options()
            try check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
            callbacks.install(into: &options.callbacks)
            let result = git_remote_fetch(remote, nil, &options, "parley: fetch")
            if result < 0 { throw Self.remoteError(result, "git_remote_fetch", callbacks) }
        }
    }

    /// Pushes refspecs; returns the references the remote refused (a push
    /// that lost a race is refused by the remote, which libgit2 reports
    /// only through this callback, not as an error).
    /// The corresponding libgit2 function is `git_remote_push`.
    /// A bare repository on this machine is pushed to directly (`pushLocally`), an SSH one with our own pack (`pushOverSSH`).
    /// `leases` (remote reference → commit) makes a forced refspec safe: the
    /// push goes ahead only while the remote still has that commit, and is
    /// otherwise returned as a "stale info" rejection.
    public func push(remote name: String, refspecs: [String], leases: [String: ObjectID] = [:],
                     authentication: RemoteAuthentication) throws(GitError) -> [PushRejection] {
        if let peer = try localPeer(remote: name) { return try pushLocally(to: peer, remote: name, refspecs: refspecs, leases: leases) }
        return try withRemote(name, authentication) { remote, callbacks throws(GitError) in
            if let url = git_remote_url(remote).map({ String(cString: $0) }), Self.isSSH(url) {
                return try pushOverSSH(remote: remote, url: url, name: name, callbacks: callbacks, refspecs: refspecs, leases: leases)
            }
            callbacks.leases = leases
            var options = git_push_options()
            try check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
            callbacks.install(into: &options.callbacks)
            let copies = refspecs.map { strdup($0) }
            defer { copies.forEach { free($0) } }
            var pointers = copies
            let result = pointers.withUnsafeMutableBufferPointer { buffer in
                var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
                return git_remote_push(remote, &array, &options)
            }
            if result < 0 && !callbacks.leaseBroken { throw Self.remoteError(result, "git_remote_push", callbacks) }
            return callbacks.rejections
        }
    }

    /// Clones `url` into `path` and checks out its default branch.
    /// The corresponding libgit2 function is `git_clone`.
    public static func clone(url: String, to path: String, authentication: RemoteAuthentication) throws(GitError) -> Repository {
        LibGit2.ensureInitialized()
        let callbacks = RemoteCallbacks(authentication)
        var options = git_clone_options()
        try check(git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION)), "git_clone_options_init")
        callbacks.install(into: &options.fetch_opts.callbacks)
        var raw: OpaquePointer?
        let result = withExtendedLifetime(callbacks) { git_clone(&raw, url, path, &options) }
        if result < 0 { throw remoteError(result, "git_clone", callbacks) }
        git_repository_free(raw)
        let repository = try Repository.open(at: path)!
        if try repository.headCommitID() == nil { try repository.checkOutRemoteBranch(remote: "origin") }
        return repository
    }

    /// A hub created with `git init --bare` may name a HEAD branch nobody
    /// pushed (master) while the mailbox lives on main: check out the
    /// branch the hub has (main if present) and track it.
    /// The corresponding libgit2 functions are `git_branch_create` and `git_checkout_head`.
    func checkOutRemoteBranch(remote: String) throws(GitError) {
        let iterate = { (iterator: inout OpaquePointer?) in git_branch_iterator_new(&iterator, self.pointer, GIT_BRANCH_REMOTE) }
        let names = try withHandle("git_branch_iterator_new", create: iterate, free: git_branch_iterator_free) { iterator in
            var names: [String] = []
            var reference: OpaquePointer?
            var type = GIT_BRANCH_REMOTE
            while git_branch_next(&reference, &type, iterator) == 0 {
                if let name = git_reference_name(reference) { names.append(String(cString: name)) }
                git_reference_free(reference)
            }
            return names
        }
        let prefix = "refs/remotes/\(remote)/"
        let candidates = names.filter { $0.hasPrefix(prefix) && !$0.hasSuffix("/HEAD") }
        guard let chosen = candidates.first(where: { $0 == prefix + "main" }) ?? candidates.first,
              let target = try referenceTarget(chosen) else { return }
        let branch = String(chosen.dropFirst(prefix.count))
        try withCommit(target) { commit throws(GitError) in
            let create = { (local: inout OpaquePointer?) in git_branch_create(&local, self.pointer, branch, commit, 0) }
            try withHandle("git_branch_create", create: create, free: git_reference_free) { local throws(GitError) in
                try check(git_branch_set_upstream(local, "\(remote)/\(branch)"), "git_branch_set_upstream")
            }
        }
        try check(git_repository_set_head(pointer, "refs/heads/\(branch)"), "git_repository_set_head")
        var options = git_checkout_options()
        try check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
        options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
        try check(git_checkout_head(pointer, &options), "git_checkout_head")
    }

    private func withRemote<T>(_ name: String, _ authentication: RemoteAuthentication,
                               _ body: (OpaquePointer, RemoteCallbacks) throws(GitError) -> T) throws(GitError) -> T {
        let found = try withHandleIfFound("git_remote_lookup", create: { git_remote_lookup(&$0, pointer, name) }, free: git_remote_free) {
            remote throws(GitError) in
            let callbacks = RemoteCallbacks(authentication)
            return try withExtendedLifetime(callbacks) { () throws(GitError) -> T in try body(remote, callbacks) }
        }
        guard let found else { throw GitError(code: .notFound, function: "git_remote_lookup", message: "no remote named '\(name)'") }
        return found
    }

    static func remoteError(_ result: Int32, _ function: String, _ callbacks: RemoteCallbacks) -> GitError {
        let error = lastError(result, function)
        let refusedOffer = callbacks.offered.flatMap { offered in
            error.message.lowercased().contains("auth") ? "the remote did not accept \(offered)" : nil
        }
        guard let problem = callbacks.problem ?? refusedOffer else { return error }
        if callbacks.gaveUp { return GitError(code: error.code, function: function, message: problem) }
        return GitError(code: error.code, function: function, message: "\(problem) (\(error.message))")
    }
}
