internal import CLibGit2
import Foundation

/// Push over SSH with a pack of exactly the new objects. libgit2's own push
/// builds its pack after marking every tree of the hub's tip as already
/// there: every folder of the mailbox, 44 s at a million messages for a
/// day's 200 commits. Here libgit2 still makes the connection (its SSH
/// transport, our credential and host-key callbacks) and reads the hub's
/// references; the commands and the pack are then written on that same
/// stream in Git's receive-pack protocol, with the objects found as
/// `newObjects` finds them for a hub on this machine (sparse, per commit
/// against its parent). HTTPS remotes still push through libgit2.
extension Repository {
    /// Whether `url` reaches its remote over SSH: `ssh://`, or `[user@]host:path`.
    static func isSSH(_ url: String) -> Bool {
        if url.hasPrefix("ssh://") || url.hasPrefix("ssh+git://") || url.hasPrefix("git+ssh://") { return true }
        return !url.contains("://") && localPath(url) == nil
    }

    /// `push` for an SSH remote: every reference is checked first against
    /// what the hub advertises (fast-forward, or the lease for a forced
    /// one), so a refused push sends nothing; the hub moves each reference
    /// only if it still points where it did.
    /// The corresponding libgit2 functions are `git_transport_smart` and `git_smart_subtransport_ssh`.
    func pushOverSSH(remote: OpaquePointer, url: String, name: String, callbacks: RemoteCallbacks, refspecs: [String],
                     leases: [String: ObjectID]) throws(GitError) -> [PushRejection] {
        let connection = try SmartConnection(remote: remote, url: url, callbacks: callbacks)
        defer { connection.close() }
        let advertised = try connection.references()
        var (updates, rejections) = try planPush(refspecs: refspecs, leases: leases) { advertised[$0] }
        guard rejections.isEmpty, !updates.isEmpty else { return rejections }
        let haves = try present(Array(Set(advertised.values)))
        let pack = try packWriter(of: try newObjects(from: updates.map(\.new), hiding: haves)).wireBytes
        var request: [UInt8] = []
        for (position, update) in updates.enumerated() {
            let old = update.old?.hex ?? String(repeating: "0", count: 40)
            let line = "\(old) \(update.new.hex) \(update.destination)" + (position == 0 ? "\0report-status" : "") + "\n"
            request += PacketLine.encode(Array(line.utf8))
        }
        request += PacketLine.flush
        try connection.write(request + pack)
        var report: [String] = []
        while let line = try connection.readPacketLine() { report.append(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .newlines)) }
        guard let unpack = report.first, unpack.hasPrefix("unpack ") else {
            throw GitError(code: .generic, function: "push", message: "the hub answered the push with \(report.first ?? "nothing")")
        }
        guard unpack == "unpack ok" else {
            throw GitError(code: .generic, function: "push", message: "the hub could not store the pack: \(unpack.dropFirst("unpack ".count))")
        }
        for update in updates {
            if report.contains("ok \(update.destination)") {
                try trackPushed(update, remote: name)
            } else {
                let refusal = report.first { $0.hasPrefix("ng \(update.destination) ") }.map { String($0.dropFirst("ng \(update.destination) ".count)) }
                // Another push moved the branch after we read it (git's receive-pack
                // says only that it failed to update the ref): fetch first, as for a hub on this machine.
                let reason = refusal.map { $0 == "failed to update ref" || $0.contains("lock") ? "non-fast-forward (fetch first)" : $0 }
                rejections.append(PushRejection(reference: update.destination, reason: reason ?? "the hub did not report on it"))
            }
        }
        return rejections
    }
}

/// Git's pkt-line framing: four hex digits of length (itself included), then the bytes.
enum PacketLine {
    static let flush = Array("0000".utf8)

    static func encode(_ payload: [UInt8]) -> [UInt8] {
        Array(String(format: "%04x", payload.count + 4).utf8) + payload
    }
}

/// A connection to a hub's `git-receive-pack` made by libgit2's smart SSH
/// transport: connected with our callbacks, its advertised references read
/// by libgit2, then the raw stream lent to us.
private final class SmartConnection {
    private let transport: UnsafeMutablePointer<git_transport>
    private let stream: UnsafeMutablePointer<git_smart_subtransport_stream>
    private let callbacks: RemoteCallbacks
    private var buffer: [UInt8] = []

    /// The subtransport libgit2 creates inside the smart transport, caught on its way in.
    private final class Catch { var subtransport: UnsafeMutablePointer<git_smart_subtransport>? }

    init(remote: OpaquePointer, url: String, callbacks: RemoteCallbacks) throws(GitError) {
        self.callbacks = callbacks
        let caught = Catch()
        var definition = git_smart_subtransport_definition(callback: { out, owner, param in
            let result = git_smart_subtransport_ssh(out, owner, nil)
            if result == 0, let param { Unmanaged<Catch>.fromOpaque(param).takeUnretainedValue().subtransport = out?.pointee }
            return result
        }, rpc: 0, param: Unmanaged.passUnretained(caught).toOpaque())
        var made: UnsafeMutablePointer<git_transport>?
        try check(withExtendedLifetime(caught) { git_transport_smart(&made, remote, &definition) }, "git_transport_smart")
        guard let made, let subtransport = caught.subtransport else {
            throw GitError(code: .generic, function: "git_transport_smart", message: "libgit2 made no SSH transport")
        }
        var options = git_remote_connect_options()
        try check(git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION)), "git_remote_connect_options_init")
        callbacks.install(into: &options.callbacks)
        let connected = withExtendedLifetime(callbacks) { made.pointee.connect!(made, url, Int32(GIT_DIRECTION_PUSH.rawValue), &options) }
        var stream: UnsafeMutablePointer<git_smart_subtransport_stream>?
        let lent = connected < 0 ? connected : subtransport.pointee.action!(&stream, subtransport, url, GIT_SERVICE_RECEIVEPACK)
        guard lent >= 0, let stream else {
            let error = Repository.remoteError(lent, connected < 0 ? "git_remote_connect" : "git_smart_subtransport.action", callbacks)
            made.pointee.free!(made)
            throw error
        }
        transport = made
        self.stream = stream
    }

    /// The hub's references as it advertised them.
    func references() throws(GitError) -> [String: ObjectID] {
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try check(transport.pointee.ls!(&heads, &count, transport), "git_transport.ls")
        var found: [String: ObjectID] = [:]
        for index in 0..<count {
            guard let head = heads?[index], let name = head.pointee.name else { continue }
            let reference = String(cString: name)
            if reference.hasPrefix("refs/") { found[reference] = ObjectID(head.pointee.oid) }
        }
        return found
    }

    func write(_ bytes: [UInt8]) throws(GitError) {
        let written = bytes.withUnsafeBufferPointer { raw in
            raw.withMemoryRebound(to: CChar.self) { stream.pointee.write!(stream, $0.baseAddress, $0.count) }
        }
        try check(written, "git_smart_subtransport_stream.write")
    }

    /// The next pkt-line's payload; nil at a flush.
    func readPacketLine() throws(GitError) -> [UInt8]? {
        let header = try read(4)
        guard let length = Int(String(decoding: header, as: UTF8.self), radix: 16), length == 0 || length >= 4 else {
            throw GitError(code: .generic, function: "push", message: "the hub sent a malformed reply")
        }
        return length == 0 ? nil : try read(length - 4)
    }

    private func read(_ count: Int) throws(GitError) -> [UInt8] {
        var chunk = [CChar](repeating: 0, count: 65_536)
        while buffer.count < count {
            var got = 0
            try check(stream.pointee.read!(stream, &chunk, chunk.count, &got), "git_smart_subtransport_stream.read")
            guard got > 0 else { throw GitError(code: .generic, function: "push", message: "the hub closed the connection mid-reply") }
            buffer += chunk.prefix(got).map { UInt8(bitPattern: $0) }
        }
        defer { buffer.removeFirst(count) }
        return Array(buffer.prefix(count))
    }

    func close() {
        _ = transport.pointee.close!(transport)
        transport.pointee.free!(transport)
    }
}
