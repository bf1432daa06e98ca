import Foundation
import Git
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing

/// A bare hub and clones on one machine, as a team would have them.
final class Team: @unchecked Sendable {
    let directory = TemporaryDirectory("team")
    let hub: String
    var stores: [String: GitMailboxStore] = [:]
    let authentication = RemoteAuthentication()

    init(clones names: [String], config: MailboxConfig = Fixtures.config) throws {
        hub = directory.file("hub.git")
        _ = try Repository.create(at: hub, bare: true)
        let first = try GitMailboxStore.create(at: directory.file(names[0]))
        _ = try Mailbox.initialize(store: first, config: config, skeleton: DefaultSkeleton.mailboxFiles,
                                   clock: Fixtures.clock(), agent: Agent(handle: names[0], name: names[0], email: "\(names[0])@example.com"))
        _ = try Shell.git(["remote", "add", "origin", hub], in: directory.file(names[0]))
        _ = try first.sync(authentication: authentication)
        stores[names[0]] = first
        for name in names.dropFirst() {
            stores[name] = try GitMailboxStore.clone(url: hub, to: directory.file(name), authentication: authentication)
        }
    }

    /// The mailbox of a clone, acting as that clone's agent at `minute` past 10:00 Chicago.
    func mailbox(_ name: String, minute: Int = 0) throws -> Mailbox {
        try Mailbox.open(store: stores[name]!, clock: ParleyClock(fixed: Fixtures.monday.addingTimeInterval(Double(minute) * 60)),
                         agent: Agent(handle: name, name: name, email: "\(name)@example.com"), location: name)
    }

    /// The mailbox of a clone, acting as that clone's agent at `time`.
    func mailbox(_ name: String, at time: Date) throws -> Mailbox {
        try Mailbox.open(store: stores[name]!, clock: ParleyClock(fixed: time), agent: Agent(handle: name, name: name, email: "\(name)@example.com"),
                         location: name)
    }

    func files(_ name: String) throws -> [String] {
        try ["HEAD", "mailbox"].flatMap { branch in
            try Shell.git(["ls-tree", "-r", "--name-only", branch], in: directory.file(name)).standardOutput.split(separator: "\n").map(String.init)
        }
    }

    func head(_ name: String) throws -> String {
        try Shell.git(["rev-parse", "HEAD", "mailbox"], in: directory.file(name)).standardOutput
    }
}

@Suite struct TeamSyncTests {
    static let shared = try! PhoneNumber.parse("+13125550147")
    static let reply = "Thanks! Thursday works. Reply STOP to opt out. - Bright Smile Dental"

    /// Each clone receives, replies, assigns, tags and records consent—all before any sync.
    func work(_ team: Team, _ names: [String]) async throws {
        for (index, name) in names.enumerated() {
            let mailbox = try team.mailbox(name, minute: index)
            _ = try await mailbox.inbound.receive(from: Self.shared, body: "question for \(name)", gateway: "sandbox", gatewayID: "SM-\(name)")
            _ = try await mailbox.sending.send(to: Self.shared, OutgoingMessage(body: Self.reply), via: ScriptedGateway(name: "sandbox"))
            _ = try mailbox.triage.assign(Self.shared, to: name)
            _ = try mailbox.triage.tag(Self.shared, add: ["from-\(name)"])
            let own = try PhoneNumber.parse("+1312555\(String(format: "%04d", 1000 + index))")
            try mailbox.consent.grant(own, name: name, disclosure: "I agree.", purpose: "reminders", method: .paper, source: name)
        }
    }

    @Test(arguments: [["a", "b", "c"], ["a", "c", "b"], ["b", "a", "c"], ["b", "c", "a"], ["c", "a", "b"], ["c", "b", "a"]])
    func everySyncOrderConverges(order: [String]) async throws {
        let team = try Team(clones: ["a", "b", "c"])
        try await work(team, ["a", "b", "c"])
        for _ in 0..<2 {
            for name in order { _ = try team.stores[name]!.sync(authentication: team.authentication) }
        }
        let reference = try team.files("a")
        for name in ["b", "c"] { #expect(try team.files(name) == reference, "\(name) differs from a") }
        let conversation = try team.mailbox("a").conversations.conversation(Self.shared)
        #expect(conversation.messages.count == 6)
        #expect(Set(conversation.messages.map(\.id)).count == 6)
        #expect(conversation.state.assignee == "c")  // the latest assignment, whoever synced first
        #expect(conversation.state.tags == ["from-a", "from-b", "from-c"])
        for name in ["a", "b", "c"] {
            let state = try team.mailbox(name).conversations.conversation(Self.shared)
            #expect(state.state == conversation.state)
            #expect(state.messages.map(\.id) == conversation.messages.map(\.id))
            #expect(try team.mailbox(name).contacts.all().summaries.filter { $0.consent.status == .granted }.count == 3)
            #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: team.directory.file(name)).status == 0)
            #expect(try Shell.git(["status", "--porcelain"], in: team.directory.file(name)).standardOutput == "")
        }
    }

    @Test func theSameReportRecordedInTwoClonesMergesWithoutAConflict() async throws {
        let team = try Team(clones: ["a", "b"])
        let a = try team.mailbox("a")
        try a.consent.grant(Self.shared, name: nil, disclosure: "I agree.", purpose: "reminders", method: .paper, source: nil)
        let sent = try await a.sending.send(to: Self.shared, OutgoingMessage(body: Self.reply), via: ScriptedGateway(name: "twilio"))
        _ = try team.stores["a"]!.sync(authentication: team.authentication)
        _ = try team.stores["b"]!.sync(authentication: team.authentication)
        // Both clones hear "delivered" (the server's webhook, an agent's reconcile), at different moments.
        for (name, minute) in [("a", 1), ("b", 2)] {
            let report = StatusReport(gateway: "twilio", reference: sent.message.id, number: Self.shared, gatewayID: "SM1",
                                      status: .delivered, raw: "MessageStatus=delivered&minute=\(minute)")
            _ = try team.mailbox(name, minute: minute).inbound.ingest([.report(report)])
        }
        for name in ["a", "b", "a"] { _ = try team.stores[name]!.sync(authentication: team.authentication) }
        #expect(try team.files("a") == team.files("b"))
        #expect(try team.head("a") == team.head("b"))
        let conversation = try team.mailbox("b").conversations.conversation(Self.shared)
        #expect(conversation.status(of: conversation.messages[0]) == .delivered)
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: team.directory.file("b")).status == 0)
    }

    @Test func aPersonsGitPullAndPushInterleaveWithParley() async throws {
        let team = try Team(clones: ["a", "b"])
        _ = try await team.mailbox("a").inbound.receive(from: Self.shared, body: "hello", gateway: "sandbox", gatewayID: "SM1")
        _ = try team.stores["a"]!.sync(authentication: team.authentication)
        // A person in clone b uses plain git.
        let b = team.directory.file("b")
        #expect(try Shell.git(["pull", "-q", "--no-rebase"], in: b).status == 0)
        try team.directory.write("b/templates/welcome.md", (team.directory.read("b/templates/welcome.md") ?? "") + "\n")
        _ = try Shell.git(["commit", "-qam", "Tidy the welcome template"], in: b)
        #expect(try Shell.git(["push", "-q"], in: b).status == 0)
        // Parley keeps working in both clones.
        _ = try await team.mailbox("b", minute: 1).inbound.receive(from: Self.shared, body: "again", gateway: "sandbox", gatewayID: "SM2")
        _ = try team.stores["b"]!.sync(authentication: team.authentication)
        let report = try team.stores["a"]!.sync(authentication: team.authentication)
        #expect(report.received == 2)
        #expect(try team.mailbox("a").conversations.conversation(Self.shared).messages.count == 2)
        #expect(team.directory.read("a/templates/welcome.md")?.hasSuffix("\n\n") == true)
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: team.directory.file("a")).status == 0)
    }

    @Test func aConflictingTemplateEditStopsTheSyncAndLosesNothing() async throws {
        let team = try Team(clones: ["a", "b"])
        for (name, wording) in [("a", "Hello from A"), ("b", "Hello from B")] {
            let path = "\(name)/templates/welcome.md"
            try team.directory.write(path, (team.directory.read(path) ?? "").replacingOccurrences(of: "Hi {{first_name}}", with: wording))
            _ = try Shell.git(["commit", "-qam", "Reword the welcome (\(name))"], in: team.directory.file(name))
        }
        _ = try await team.mailbox("b").inbound.receive(from: Self.shared, body: "a message in b", gateway: "sandbox", gatewayID: "SMb")
        _ = try team.stores["a"]!.sync(authentication: team.authentication)
        let before = try team.head("b")
        #expect {
            try team.stores["b"]!.sync(authentication: team.authentication)
        } throws: { error in
            guard case ParleyError.conflict(let text) = error else { return false }
            return text.contains("templates/welcome.md") && text.contains("git pull") && !text.contains("messages/")
        }
        let b = team.directory.file("b")
        #expect(try team.head("b") == before)
        #expect(!FileManager.default.fileExists(atPath: b + "/.git/MERGE_HEAD"))
        #expect(try Shell.git(["status", "--porcelain"], in: b).standardOutput == "")
        #expect(team.directory.read("b/templates/welcome.md")?.contains("Hello from B") == true)
        #expect(try team.mailbox("b").conversations.conversation(Self.shared).messages.count == 1)
        // A person resolves it with Git; then Parley syncs.
        _ = try Shell.git(["pull", "-q", "--no-rebase"], in: b)
        // While the person's merge is unfinished, Parley waits instead of committing around it.
        await #expect(throws: ParleyError.self) { try await team.mailbox("b").inbound.receive(from: Self.shared, body: "x", gateway: "sandbox") }
        try team.directory.write("b/templates/welcome.md", try #require(team.directory.read("a/templates/welcome.md")))
        _ = try Shell.git(["commit", "-qam", "Resolve the welcome wording"], in: b)
        let report = try team.stores["b"]!.sync(authentication: team.authentication)
        #expect(report.sent > 0)
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: b).status == 0)
    }

    @Test func uncommittedEditsToAFileTheHubChangedStopTheSync() async throws {
        let team = try Team(clones: ["a", "b"])
        try team.directory.write("a/tone.md", (team.directory.read("a/tone.md") ?? "") + "\nOne more rule.\n")
        _ = try Shell.git(["commit", "-qam", "Tone"], in: team.directory.file("a"))
        _ = try team.stores["a"]!.sync(authentication: team.authentication)
        try team.directory.write("b/tone.md", "my unsaved draft of the tone guide\n")
        #expect(throws: ParleyError.self) { try team.stores["b"]!.sync(authentication: team.authentication) }
        #expect(team.directory.read("b/tone.md") == "my unsaved draft of the tone guide\n")
    }

    @Test func unreachableRemotesAndRefusedPushesKeepLocalCommits() async throws {
        let team = try Team(clones: ["a"])
        _ = try await team.mailbox("a").inbound.receive(from: Self.shared, body: "kept", gateway: "sandbox", gatewayID: "SMk")
        let a = team.directory.file("a")
        let head = try team.head("a")
        _ = try Shell.git(["remote", "add", "nowhere", team.directory.file("missing.git")], in: a)
        #expect {
            try team.stores["a"]!.sync(remote: "nowhere", authentication: team.authentication)
        } throws: { error in
            guard case ParleyError.storage(let text) = error else { return false }
            return text.contains("fetching from nowhere failed")
        }
        #expect(throws: ParleyError.self) { try team.stores["a"]!.sync(remote: "absent", authentication: team.authentication) }
        // A hub served by git daemon (hooks run there) whose hook refuses every push.
        let hook = team.hub + "/hooks/pre-receive"
        try Data("#!/bin/sh\necho 'pushes are frozen' >&2\nexit 1\n".utf8).write(to: URL(fileURLWithPath: hook))
        chmod(hook, 0o755)
        let daemon = try GitDaemon(serving: team.directory.path)
        defer { daemon.stop() }
        _ = try Shell.git(["remote", "add", "daemon", "git://127.0.0.1:\(daemon.port)/hub.git"], in: a)
        #expect {
            try team.stores["a"]!.sync(remote: "daemon", authentication: team.authentication)
        } throws: { error in
            guard case ParleyError.conflict(let text) = error else { return false }
            return text.contains("refused the push") && text.contains("kept locally")
        }
        #expect(try team.head("a") == head)
        #expect(try team.mailbox("a").conversations.conversation(Self.shared).messages.map(\.body) == ["kept"])
    }

    /// A hub on this machine is written directly (Repository+LocalTransfer):
    /// one pack of exactly the objects Git itself counts as new, which
    /// `git fsck` accepts, and the other clone fetches them the same way.
    @Test func aLocalHubGetsOnePackOfExactlyTheNewObjects() async throws {
        let team = try Team(clones: ["a", "b"])
        let before = try Shell.git(["rev-parse", "mailbox"], in: team.hub).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let packs = { () throws -> Set<String> in
            Set(try FileManager.default.contentsOfDirectory(atPath: team.hub + "/objects/pack").filter { $0.hasSuffix(".pack") })
        }
        let packsBefore = try packs()
        for index in 0..<12 {
            _ = try await team.mailbox("a", minute: index).inbound.receive(from: try PhoneNumber.parse("+1312555\(2000 + index % 4)"),
                                                                          body: "text \(index)", gateway: "sandbox", gatewayID: "SMloc\(index)")
        }
        let pushed = try team.stores["a"]!.sync(authentication: team.authentication)
        #expect(pushed.sent == 12)
        let newPacks = try packs().subtracting(packsBefore)
        #expect(newPacks.count == 1)
        let index = "objects/pack/" + newPacks.first!.dropLast(5) + ".idx"
        let packed = try Shell.run("sh", ["-c", "git show-index < \(index)"], in: team.hub).standardOutput.split(separator: "\n").count
        let expected = try Shell.git(["rev-list", "--objects", "\(before)..mailbox"], in: team.hub).standardOutput.split(separator: "\n").count
        #expect(packed == expected && expected > 12 * 3, "the pack holds what rev-list calls new, nothing else")
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: team.hub).status == 0)

        _ = try await team.mailbox("b").inbound.receive(from: Self.shared, body: "from b", gateway: "sandbox", gatewayID: "SMlocb")
        let fetched = try team.stores["b"]!.sync(authentication: team.authentication)
        #expect(fetched.received == 12 && fetched.sent == 2, "b's text and the merge")
        _ = try team.stores["a"]!.sync(authentication: team.authentication)
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: team.directory.file("b")).status == 0)
        #expect(try team.files("a") == team.files("b"))
        #expect(try Shell.git(["rev-parse", "origin/mailbox"], in: team.directory.file("b")).standardOutput
            == Shell.git(["rev-parse", "mailbox"], in: team.hub).standardOutput)
    }

    @Test func aPushThatLostTheRaceIsMergedAndRetried() async throws {
        let team = try Team(clones: ["a", "b"])
        _ = try await team.mailbox("a").inbound.receive(from: Self.shared, body: "from a", gateway: "sandbox", gatewayID: "SMa")
        _ = try await team.mailbox("b").inbound.receive(from: Self.shared, body: "from b", gateway: "sandbox", gatewayID: "SMb")
        // b fetched before a pushed: simulate by pushing a's commit behind b's back, then b pushes without a fresh fetch.
        _ = try team.stores["a"]!.sync(authentication: team.authentication)
        let hub = try Repository.open(at: team.directory.file("hub.git"))!.referenceTarget("refs/heads/mailbox")
        let rejections = try Repository.open(at: team.directory.file("b"))!.push(remote: "origin", refspecs: ["refs/heads/mailbox:refs/heads/mailbox"],
                                                                                 authentication: team.authentication)
        #expect(rejections.map(\.reason) == ["non-fast-forward (fetch first)"], "a non-fast-forward push is refused")
        #expect(try Repository.open(at: team.directory.file("hub.git"))!.referenceTarget("refs/heads/mailbox") == hub, "and changes nothing")
        let report = try team.stores["b"]!.sync(authentication: team.authentication)
        #expect(report.sent > 0)
        _ = try team.stores["a"]!.sync(authentication: team.authentication)
        #expect(try team.files("a") == team.files("b"))
    }
}

/// `git daemon` on loopback, a network hub that runs hooks as a real Git host does.
/// It detaches and writes a pid file, so stopping it needs no child-process bookkeeping.
final class GitDaemon: @unchecked Sendable {
    let port = Peers.freePort()
    private let pidFile: String

    init(serving base: String) throws {
        pidFile = base + "/git-daemon.pid"
        _ = try Shell.startDaemon(["git", "daemon", "--detach", "--pid-file=\(pidFile)", "--export-all", "--enable=receive-pack",
                                   "--reuseaddr", "--listen=127.0.0.1", "--port=\(port)", "--base-path=\(base)", base])
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? Shell.git(["ls-remote", "git://127.0.0.1:\(port)/hub.git"], in: base))?.status == 0 { return }
            usleep(100_000)
        }
        stop()
        throw PeerError("git daemon did not start on \(port)")
    }

    func stop() {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        kill(pid, SIGKILL)
    }
}
