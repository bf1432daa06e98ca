import Foundation
import ParleyTestSupport
import Testing

/// `parley clone` and `parley sync` over ssh against a real OpenSSH server
/// on 127.0.0.1, with a key file and a known_hosts file, as a team whose
/// hub is a bare repository on a server would use them.
@Suite(.serialized, .enabled(if: Peers.shouldRun(Peers.hasSSHD), "needs openssh-server (sshd, ssh-keygen); .ci/run installs it"))
struct SSHSyncTests {
    let directory = TemporaryDirectory("ssh")

    /// A mailbox pushed to a bare hub that the ssh server serves.
    func hubWithMailbox() throws -> String {
        let repo = try ParleyBinary.initMailbox(in: directory)
        _ = try Shell.git(["init", "-q", "--bare", directory.file("hub.git")], in: directory.path)
        _ = try Shell.git(["remote", "add", "origin", directory.file("hub.git")], in: repo)
        let pushed = try ParleyBinary.run(["sync"], in: repo)
        #expect(pushed.status == 0, "\(pushed.standardError)")
        return repo
    }

    func environment(_ server: SSHServer, key: String? = nil, knownHosts: String? = nil) -> [String: String] {
        ["PARLEY_SSH_KEY": key ?? server.clientKey, "PARLEY_KNOWN_HOSTS": knownHosts ?? server.knownHosts, "SSH_AUTH_SOCK": "",
         "HOME": directory.path]
    }

    @Test func cloneAndSyncOverSSH() throws {
        _ = try hubWithMailbox()
        let server = try SSHServer(in: directory)
        defer { server.stop() }
        let url = server.url(directory.file("hub.git"))
        let cloned = try ParleyBinary.run(["clone", url, "member"], in: directory.path, environment: environment(server))
        #expect(cloned.status == 0, "\(cloned.standardError)")
        let member = directory.file("member")
        #expect(try ParleyBinary.run(["receive", "--from", "+13125550147", "--body", "Over ssh"], in: member).status == 0)
        let synced = try ParleyBinary.run(["sync"], in: member, environment: environment(server))
        #expect(synced.status == 0, "\(synced.standardError)")
        #expect(synced.standardOutput.contains("Pushed 1 commit"))
        let hubLog = try Shell.git(["log", "--format=%s", "-1", "mailbox"], in: directory.file("hub.git")).standardOutput
        #expect(hubLog.contains("+13125550147"), "\(hubLog)")
    }

    /// The hub keeps what it receives as a pack (`transfer.unpackLimit=1`), so
    /// the pack our push wrote can be counted against what git calls new.
    @Test func aDaysWorkReachesTheHubAsOnePackOfExactlyTheNewObjects() throws {
        _ = try hubWithMailbox()
        let hub = directory.file("hub.git")
        _ = try Shell.git(["config", "transfer.unpackLimit", "1"], in: hub)
        let server = try SSHServer(in: directory)
        defer { server.stop() }
        #expect(try ParleyBinary.run(["clone", server.url(hub), "member"], in: directory.path, environment: environment(server)).status == 0)
        let member = directory.file("member")
        let before = try Shell.git(["rev-parse", "mailbox"], in: hub).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let packs = { () throws -> Set<String> in Set(try FileManager.default.contentsOfDirectory(atPath: hub + "/objects/pack").filter { $0.hasSuffix(".pack") }) }
        let packsBefore = try packs()
        for index in 0..<6 {
            #expect(try ParleyBinary.run(["receive", "--from", "+1312555\(2000 + index % 3)", "--body", "Text \(index)"], in: member).status == 0)
        }
        let synced = try ParleyBinary.run(["sync"], in: member, environment: environment(server))
        #expect(synced.status == 0, "\(synced.standardError)")
        #expect(synced.standardOutput.contains("Pushed 6 commits"), "\(synced.standardOutput)")
        let newPacks = try packs().subtracting(packsBefore)
        #expect(newPacks.count == 1)
        let index = "objects/pack/" + newPacks.first!.dropLast(5) + ".idx"
        let packed = try Shell.run("sh", ["-c", "git show-index < \(index)"], in: hub).standardOutput.split(separator: "\n").count
        let expected = try Shell.git(["rev-list", "--objects", "\(before)..mailbox"], in: hub).standardOutput.split(separator: "\n").count
        #expect(packed == expected && expected > 6 * 3, "the pack holds what rev-list calls new, nothing else (\(packed) of \(expected))")
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: hub).status == 0)
        #expect(try Shell.git(["rev-parse", "mailbox"], in: hub).standardOutput == Shell.git(["rev-parse", "origin/mailbox"], in: member).standardOutput)
    }

    /// Another member's push lands between our reading the hub's branch and
    /// our update of it (an `update` hook moves the branch once, as a push
    /// racing ours would): the hub refuses ours, sync fetches, merges and
    /// pushes again, and both members' texts are on the hub.
    @Test func aPushThatLostTheRaceOverSSHIsMergedAndRetried() throws {
        let repo = try hubWithMailbox()
        let hub = directory.file("hub.git")
        let server = try SSHServer(in: directory)
        defer { server.stop() }
        #expect(try ParleyBinary.run(["clone", hub, "other"], in: directory.path).status == 0)
        #expect(try ParleyBinary.run(["receive", "--from", "+13125550148", "--body", "From the other member"], in: directory.file("other")).status == 0)
        _ = try Shell.git(["push", "-q", "origin", "mailbox:refs/heads/racer"], in: directory.file("other"))
        try directory.write("hub.git/hooks/update", """
            #!/bin/sh
            if [ "$1" = refs/heads/mailbox ] && [ ! -f raced ]; then touch raced; git update-ref refs/heads/mailbox refs/heads/racer; fi
            exit 0

            """)
        chmod(directory.file("hub.git/hooks/update"), 0o755)
        _ = try Shell.git(["remote", "set-url", "origin", server.url(hub)], in: repo)
        #expect(try ParleyBinary.run(["receive", "--from", "+13125550147", "--body", "From this member"], in: repo).status == 0)
        let synced = try ParleyBinary.run(["sync"], in: repo, environment: environment(server))
        #expect(synced.status == 0, "\(synced.standardError)")
        #expect(FileManager.default.fileExists(atPath: directory.file("hub.git/raced")), "the race happened")
        let hubLog = try Shell.git(["log", "--format=%s", "mailbox"], in: hub).standardOutput
        #expect(hubLog.contains("+13125550147") && hubLog.contains("+13125550148"), "\(hubLog)")
        let tips = try [hub, repo].map { try Shell.git(["rev-parse", "refs/heads/mailbox"], in: $0).standardOutput }
        #expect(tips[0] == tips[1], "the hub holds the merge")
    }

    /// A hub hook that declines the push is not a race: sync stops, says
    /// what the hub said, and the commits stay local.
    @Test func aPushTheHubDeclinesKeepsLocalCommits() throws {
        let repo = try hubWithMailbox()
        let hub = directory.file("hub.git")
        let server = try SSHServer(in: directory)
        defer { server.stop() }
        try directory.write("hub.git/hooks/pre-receive", "#!/bin/sh\nexit 1\n")
        chmod(directory.file("hub.git/hooks/pre-receive"), 0o755)
        let hubBefore = try Shell.git(["rev-parse", "mailbox"], in: hub).standardOutput
        _ = try Shell.git(["remote", "set-url", "origin", server.url(hub)], in: repo)
        #expect(try ParleyBinary.run(["receive", "--from", "+13125550147", "--body", "Declined"], in: repo).status == 0)
        let head = try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput
        let result = try ParleyBinary.run(["sync"], in: repo, environment: environment(server))
        #expect(result.status != 0)
        #expect(result.standardError.contains("pre-receive hook declined") && result.standardError.contains("kept locally"), "\(result.standardError)")
        #expect(try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput == head)
        #expect(try Shell.git(["rev-parse", "mailbox"], in: hub).standardOutput == hubBefore)
    }

    @Test func aKeyTheServerDoesNotAcceptFailsAfterBoundedTriesAndKeepsLocalCommits() throws {
        let repo = try hubWithMailbox()
        let server = try SSHServer(in: directory)
        defer { server.stop() }
        _ = try Shell.git(["remote", "set-url", "origin", server.url(directory.file("hub.git"))], in: repo)
        #expect(try ParleyBinary.run(["receive", "--from", "+13125550147", "--body", "Kept"], in: repo).status == 0)
        let head = try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput
        _ = try Shell.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", directory.file("stranger")])
        let started = Date()
        let result = try ParleyBinary.run(["sync"], in: repo, environment: environment(server, key: directory.file("stranger")))
        #expect(result.status != 0)
        #expect(result.standardError.contains("did not accept the SSH key"), "\(result.standardError)")
        #expect(Date().timeIntervalSince(started) < 30, "the credential callback gives up instead of looping")
        #expect(try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput == head)
        #expect(try Shell.git(["status", "--porcelain"], in: repo).standardOutput == "")
    }

    @Test func anUnknownHostKeyIsRefused() throws {
        let repo = try hubWithMailbox()
        let server = try SSHServer(in: directory)
        defer { server.stop() }
        _ = try Shell.git(["remote", "set-url", "origin", server.url(directory.file("hub.git"))], in: repo)
        try directory.write("empty_known_hosts", "")
        let result = try ParleyBinary.run(["sync"], in: repo, environment: environment(server, knownHosts: directory.file("empty_known_hosts")))
        #expect(result.status != 0)
        #expect(result.standardError.contains("known_hosts"), "\(result.standardError)")
    }
}

/// OpenSSH's sshd on a free loopback port with its own host key, one
/// authorized client key and a known_hosts entry for the client.
final class SSHServer: @unchecked Sendable {
    let port = Peers.freePort()
    let clientKey: String
    let knownHosts: String
    private let pidFile: String
    private let user: String

    init(in directory: TemporaryDirectory) throws {
        let base = directory.file("sshd")
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        // sshd refuses to start without its privilege separation directory.
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        clientKey = base + "/client"
        knownHosts = base + "/known_hosts"
        pidFile = base + "/sshd.pid"
        user = try Shell.run("id", ["-un"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        for key in [base + "/host", clientKey] {
            let generated = try Shell.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key])
            guard generated.status == 0 else { throw PeerError("ssh-keygen failed: \(generated.standardError)") }
        }
        try FileManager.default.copyItem(atPath: clientKey + ".pub", toPath: base + "/authorized_keys")
        let hostKey = (directory.read("sshd/host.pub") ?? "").split(separator: " ").prefix(2).joined(separator: " ")
        try directory.write("sshd/known_hosts", "[127.0.0.1]:\(port) \(hostKey)\n")
        try directory.write("sshd/sshd_config", """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(base)/host
            PidFile \(pidFile)
            AuthorizedKeysFile \(base)/authorized_keys
            AllowUsers \(user)
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            MaxAuthTries 6

            """)
        let started = try Shell.startDaemon(["/usr/sbin/sshd", "-f", base + "/sshd_config", "-E", base + "/sshd.log"])
        guard started.status == 0 else { throw PeerError("sshd did not start: \(started.standardError)") }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: pidFile) { return }
            usleep(50_000)
        }
        throw PeerError("sshd wrote no pid file; see \(base)/sshd.log")
    }

    func url(_ path: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(path)" }

    func stop() {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        kill(pid, SIGTERM)
    }
}
