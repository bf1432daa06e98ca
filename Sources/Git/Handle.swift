internal import CLibGit2

/// Creates a libgit2 object with `create`, lends it to `body` and frees it
/// with `free` however `body` ends: the one place a handle's lifetime is
/// written, instead of an optional pointer and a `defer` at every call.
/// A handle never outlives `body`, so nothing derived from it (a tree's
/// entry, an object's bytes) can be read after it is freed.
func withHandle<Handle, T>(
    _ function: String, create: (inout Handle?) -> Int32, free: (Handle?) -> Void,
    _ body: (Handle) throws(GitError) -> T
) throws(GitError) -> T {
    var handle: Handle?
    let result = create(&handle)
    defer { free(handle) }
    try check(result, function)
    guard let handle else { throw GitError(code: .generic, function: function, message: "libgit2 returned no object") }
    return try body(handle)
}

/// `withHandle` for a look-up that may find nothing: nil instead of an error when libgit2 says GIT_ENOTFOUND.
func withHandleIfFound<Handle, T>(
    _ function: String, create: (inout Handle?) -> Int32, free: (Handle?) -> Void,
    _ body: (Handle) throws(GitError) -> T
) throws(GitError) -> T? {
    var handle: Handle?
    let result = create(&handle)
    defer { free(handle) }
    if result == GIT_ENOTFOUND.rawValue { return nil }
    try check(result, function)
    guard let handle else { return nil }
    return try body(handle)
}
