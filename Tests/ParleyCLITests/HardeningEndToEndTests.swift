import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// Defects found by trying the built binary as a new user and as an
/// attacker would; each test failed before its fix.
@Suite struct HardeningEndToEndTests {
    let directory = TemporaryDirectory("hardening")
    let firstMessage = "Hi Sarah, your crown is ready. Reply STOP to opt out. - Bright Smile Dental"

    func count(_ grep: String, in repo: String) throws -> Int {
        try Shell.git(["log", "--grep=\(grep)", "--format=%H", "HEAD", "mailbox"], in: repo).standardOutput.split(separator: "\n").count
    }

    @Test func aPublishedSendOrReceiveSucceedsWhenTheIndexIsLocked() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        try ParleyBinary.grantConsent("3125550147", in: repo)
        // A lock younger than the stale age is someone else's: Parley must not remove it.
        let environment = ["PARLEY_STALE_LOCK_SECONDS": "3600"]
        _ = FileManager.default.createFile(atPath: repo + "/.git/index.lock", contents: Data())
        // Records never touch the index (format 2): no warning at all.
        let received = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "Thanks!"], in: repo, environment: environment)
        #expect(received.status == 0, "\(received.standardError)")
        #expect(received.standardError.isEmpty)
        // A draft lives in the work tree: saving it commits, then warns that the index could not follow.
        let drafted = try ParleyBinary.run(["draft", "3125550147", "--body", firstMessage], in: repo, environment: environment)
        #expect(drafted.status == 0, "\(drafted.standardError)")
        #expect(drafted.standardError.contains("warning: commit"))
        #expect(drafted.standardError.contains("git checkout HEAD -- 'drafts/dana/+13125550147.md'"))
        // Sending the draft: the message is out and recorded; its removal from the work tree only warns.
        let sent = try ParleyBinary.run(["send", "3125550147", "--draft"], in: repo, environment: environment)
        #expect(sent.status == 0, "\(sent.standardError)")
        #expect(sent.standardOutput.contains("Sent "))
        #expect(sent.standardError.contains("warning: commit"))
        #expect(try count("\(Trailer.action.rawValue): \(CommitAction.send)", in: repo) == 1)
        #expect(try count("\(Trailer.action.rawValue): \(CommitAction.receive)", in: repo) == 1)
        // Once the lock is gone, the advice brings the work tree back.
        try FileManager.default.removeItem(atPath: repo + "/.git/index.lock")
        #expect(try Shell.git(["checkout", "HEAD", "--", "."], in: repo).status == 0)
        #expect(try Shell.git(["status", "--porcelain"], in: repo).standardOutput == "")
    }

    @Test func aHeldBranchLockIsNamedWithHowToClearIt() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        _ = FileManager.default.createFile(atPath: repo + "/.git/refs/heads/mailbox.lock", contents: Data())
        let result = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "hi"], in: repo, environment: ["PARLEY_STALE_LOCK_SECONDS": "3600"])
        #expect(result.status == 74)
        #expect(result.standardError.contains("refs/heads/mailbox.lock is held"))
        #expect(result.standardError.contains("rm '"))
    }

    @Test func writesLeaveNoTemporaryFilesInTheWorkTree() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let leftover = repo + "/.git/parley/tmp/.parley-999-1.tmp"
        try FileManager.default.createDirectory(atPath: repo + "/.git/parley/tmp", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: leftover, contents: Data("half a file".utf8))
        #expect(try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "hi"], in: repo).status == 0)
        #expect(!FileManager.default.fileExists(atPath: leftover))
        let strays = try Shell.run("find", [repo, "-name", ".parley-*", "-not", "-path", "*/.git/*"]).standardOutput
        #expect(strays.isEmpty)
    }

    @Test func timesAndCountriesNoRecordCanHoldAreRefused() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        for time in ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1999-12-31T23:59:59Z"] {
            let result = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "hi", "--time", time], in: repo)
            #expect(result.status == 64, "\(time)")
            #expect(result.standardError.contains("out of range"))
        }
        let config = try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8)
        try config.replacingOccurrences(of: "default_country: US", with: "default_country: ZZ").write(toFile: repo + "/parley.yaml", atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "Try another country"], in: repo)
        let zz = try ParleyBinary.run(["inbox"], in: repo)
        #expect(zz.status == 65)
        #expect(zz.standardError.contains("parley.yaml:"))
        #expect(zz.standardError.contains("'ZZ' is not a country"))
    }

    @Test func anInboundCRLFIsStoredAsSent() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        #expect(try ParleyBinary.run(["receive", "--from", "3125550147", "--id", "SMcrlf"], in: repo, input: "line one\r\nline two").status == 0)
        let thread = try ParleyBinary.run(["thread", "3125550147", "--json"], in: repo)
        #expect(thread.standardOutput.contains(#"line one\r\nline two"#))
    }

    @Test func sandboxReportsFollowThePinnedClockAndLogShowsLocalTimes() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        try ParleyBinary.grantConsent("3125550147", in: repo)
        #expect(try ParleyBinary.run(["send", "3125550147", "--body", firstMessage], in: repo).status == 0)
        let receipts = try Shell.git(["grep", "-h", "^time:", "mailbox", "--", "*/receipts/*"], in: repo).standardOutput
        #expect(receipts.contains("2026-03-09T14:00:03.000Z"), "\(receipts)")
        #expect(try ParleyBinary.run(["send", "3125550147", "--body", "See you soon - Bright Smile Dental", "--at", "2026-03-10T15:00:00Z"], in: repo).status == 0)
        let log = try ParleyBinary.run(["log"], in: repo).standardOutput
        #expect(log.contains("for 2026-03-10T10:00:00-05:00"), "\(log)")
    }

    @Test func messagesThatConfusedUsersSayWhatHappened() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        // Consent recorded for a number that texted STOP: the opt-out still blocks.
        #expect(try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "STOP"], in: repo).status == 0)
        let fax = try ParleyBinary.run(["consent", "grant", "3125550147", "--disclosure", "I agree.", "--purpose", "reminders", "--method", "fax"], in: repo)
        #expect(fax.status == 64 && fax.standardError.contains("'fax' is invalid") && fax.standardError.contains("web_form"))
        let nap = try ParleyBinary.run(["send", "3125550147", "--body", "Hi", "--override", "nap", "--reason", "x"], in: repo)
        #expect(nap.status == 64 && nap.standardError.contains("quiet_hours"))
        let granted = try ParleyBinary.run(["consent", "grant", "3125550147", "--disclosure", "I agree.", "--purpose", "reminders", "--method", "paper"], in: repo)
        #expect(granted.status == 0)
        #expect(granted.standardError.contains("still blocks every send"))
        // A contact with no name is listed once, by number.
        #expect(try ParleyBinary.run(["receive", "--from", "3125550123", "--body", "please stop texting me"], in: repo).status == 0)
        let review = try ParleyBinary.run(["review"], in: repo).standardOutput
        #expect(review.components(separatedBy: "+1 312-555-0123").count == 2, "\(review)")
        // A scheduled message that a rule now refuses is held, and the command says so.
        try ParleyBinary.grantConsent("3125550188", in: repo)
        #expect(try ParleyBinary.run(["send", "3125550188", "--body", firstMessage, "--at", "2026-03-10T10:00:00-05:00"], in: repo).status == 0)
        #expect(try ParleyBinary.run(["receive", "--from", "3125550188", "--body", "STOP"], in: repo, environment: ["PARLEY_NOW": "2026-03-10T09:00:00-05:00"]).status == 0)
        let flush = try ParleyBinary.run(["outbox", "flush"], in: repo, environment: ["PARLEY_NOW": "2026-03-10T10:05:00-05:00"])
        #expect(flush.status == 1)
        #expect(flush.standardError.contains("it stays queued with this reason in its note"))
        #expect(!flush.standardError.contains("nothing was sent or recorded"))
    }

    /// What `parley serve` prints as it starts, read until `text` appears; the server is stopped after.
    func serveStartUp(_ repo: String, _ arguments: [String], until text: String) async throws -> String {
        let server = try ServeProcess(repo: repo, arguments: ["--port", String(Peers.freePort()), "--flush-every", "0"] + arguments,
                                      environment: ["LOG_LEVEL": "error", "PATH": "/usr/bin:/bin"], logPath: directory.file("serve.log"))
        defer { server.stop() }
        return try await server.waitFor(text)
    }

    @Test func serveWarnsWhenItIsReachableFromOtherMachines() async throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        // Kannel's allowed callback addresses are Kannel's own setting: a wrong one refuses to serve.
        let settings = try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8)
        try settings.replacingOccurrences(of: "  provider: sandbox\n", with: "  provider: sandbox\n  callback_addresses: 10.0.0\n")
            .write(toFile: repo + "/parley.yaml", atomically: true, encoding: .utf8)
        _ = try Shell.git(["commit", "-qam", "Allow Kannel's callbacks from another machine"], in: repo)
        let badAllow = try ParleyBinary.run(["serve"], in: repo)
        #expect(badAllow.status == 64)
        #expect(badAllow.standardError.contains("gateway.callback_addresses: '10.0.0' is not an IP address"))
        _ = try Shell.git(["revert", "--no-edit", "HEAD"], in: repo)
        let output = try await serveStartUp(repo, ["--host", "0.0.0.0"], until: "warning:")
        #expect(output.contains("listening on http://0.0.0.0:"))
        #expect(output.contains("warning: 0.0.0.0 is not a loopback address"))
    }

    @Test func serveSaysAtStartWhenItHasNoGateway() async throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let config = try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8)
        try config.replacingOccurrences(of: "provider: sandbox", with: "provider: twilio").write(toFile: repo + "/parley.yaml", atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "Twilio, credentials still to come"], in: repo)
        let output = try await serveStartUp(repo, [], until: "listening on")
        #expect(output.contains("parley serve: warning:") && output.contains("scheduled messages are not sent"), "\(output)")
        #expect(output.contains("listening on http://127.0.0.1:"), "webhooks are still served")
    }

    @Test func secretsInTheConfigurationAreNeverEchoedAndInitIgnoresTokenFiles() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        #expect(try String(contentsOfFile: repo + "/.gitignore", encoding: .utf8).contains("*.token"))
        let config = try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8)
        try config.replacingOccurrences(of: "provider: sandbox", with: "provider: twilio\n  account_sid: AC123\n  auth_token: sk_live_do_not_print")
            .write(toFile: repo + "/parley.yaml", atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "Switch to Twilio"], in: repo)
        let check = try ParleyBinary.run(["gateway", "check"], in: repo)
        #expect(check.status == 4)
        #expect(!check.standardOutput.contains("sk_live_do_not_print") && !check.standardError.contains("sk_live_do_not_print"))
        #expect(check.standardOutput.contains("gateway.auth_token looks like a secret"))
    }

    @Test func gatewayCheckLiveAsksTheProviderWithTheCredentials() async throws {
        let fake = TelnyxFake()
        try await fake.start()
        defer { fake.stop() }
        let repo = try ParleyBinary.initMailbox(in: directory)
        let config = try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8)
        try config.replacingOccurrences(of: "provider: sandbox", with: """
            provider: telnyx
              api_base_url: \(fake.baseURL)
              public_base_url: https://hooks.example.com
              public_key: \(ProviderSDKs.telnyxPublicKey)
            """).write(toFile: repo + "/parley.yaml", atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "Switch to Telnyx"], in: repo)
        let missing = try ParleyBinary.run(["gateway", "check", "--live"], in: repo)
        #expect(missing.status == 4 && missing.standardOutput.contains("PARLEY_TELNYX_API_KEY"))
        let live = try ParleyBinary.run(["gateway", "check", "--live"], in: repo, environment: ["PARLEY_TELNYX_API_KEY": fake.apiKey])
        #expect(live.status == 0, "\(live.standardOutput)\(live.standardError)")
        #expect(live.standardOutput.contains("live: Telnyx balance 300.00 USD"))
        let wrong = try ParleyBinary.run(["gateway", "check", "--live"], in: repo, environment: ["PARLEY_TELNYX_API_KEY": "KEYwrong"])
        #expect(wrong.status == 4)
        #expect(wrong.standardOutput.contains("live check failed") && wrong.standardOutput.contains("PARLEY_TELNYX_API_KEY"))
        #expect(!wrong.standardOutput.contains("KEYwrong") && !live.standardOutput.contains(fake.apiKey))
        #expect(fake.created.isEmpty)
    }
}
