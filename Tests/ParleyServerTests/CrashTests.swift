import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore
import ParleyTestSupport
import Testing

/// kill -9 at the worst moments, then check that nothing acknowledged was
/// lost and nothing was sent twice.
@Suite(.serialized) struct CrashTests {
    let directory = TemporaryDirectory("crash")

    func startServer(_ repo: String, port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ParleyBinary.path)
        process.arguments = ["serve", "--port", String(port), "--flush-every", "0"]
        process.currentDirectoryURL = URL(fileURLWithPath: repo)
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in ParleyBinary.environment { environment[key] = value }
        environment["PARLEY_NOW"] = ""
        environment["PARLEY_KANNEL_WEBHOOK_SECRET"] = "s3cret"
        environment["PARLEY_STALE_LOCK_SECONDS"] = "1"
        environment["LOG_LEVEL"] = "error"
        process.environment = environment
        _ = FileManager.default.createFile(atPath: directory.file("serve.log"), contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.file("serve.log")))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return process
    }

    func waitHealthy(_ port: Int) async throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if (try? Shell.run("curl", ["-s", "-m", "1", "http://127.0.0.1:\(port)/healthz"]))?.standardOutput.hasPrefix("ok\n") == true { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw PeerError("parley serve did not become healthy on \(port): \(directory.read("serve.log") ?? "")")
    }

    func post(_ port: Int, id: String) async -> Bool {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/kannel/inbound?k=s3cret&from=%2B1312555\(String(format: "%04d", 1000 + abs(id.hashValue) % 97))&id=\(id)")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: "crash test \(id)"))
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(3)) else { return false }
        return response.status == .ok
    }

    @Test func everyAcknowledgedWebhookSurvivesKillNine() async throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let port = Peers.freePort()
        let server = try startServer(repo, port: port)
        try await waitHealthy(port)
        let acknowledged = Acknowledged()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<24 {
                group.addTask {
                    // A dead server refuses connections, and the client retries those
                    // until its deadline: stop sending once the server is killed.
                    for index in 0..<40 where await !acknowledged.killed {
                        let id = "crash-\(worker)-\(index)"
                        if await post(port, id: id) { await acknowledged.add(id) }
                    }
                }
            }
            group.addTask {
                while await acknowledged.count < 150 { try await Task.sleep(nanoseconds: 5_000_000) }
                kill(server.processIdentifier, SIGKILL)
                await acknowledged.markKilled()
            }
            try await group.waitForAll()
        }
        server.waitUntilExit()
        let acked = await acknowledged.ids
        #expect(acked.count >= 150)
        #expect(acked.count < 24 * 40, "the server was killed before it acknowledged everything")

        let stored = Set(try Shell.git(["ls-tree", "-r", "--name-only", "mailbox", "conversations"], in: repo).standardOutput
            .split(separator: "\n").compactMap { $0.split(separator: "/").last?.split(separator: "-", maxSplits: 1).last?.replacingOccurrences(of: ".md", with: "") })
        let lost = acked.subtracting(stored)
        #expect(lost.isEmpty, "acknowledged but not stored: \(lost.sorted().prefix(5))")
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: repo).status == 0)

        // Restarted, the server takes webhooks again (stale locks from the kill are cleared).
        let restarted = try startServer(repo, port: port)
        defer { restarted.terminate(); restarted.waitUntilExit() }
        try await waitHealthy(port)
        var accepted = false
        for _ in 0..<30 where !accepted {
            accepted = await post(port, id: "after-restart")
            if !accepted { try await Task.sleep(nanoseconds: 200_000_000) }
        }
        #expect(accepted)
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: repo).status == 0)
    }

    @Test func killedBetweenSubmissionAndReceiptThenReconciledSendsExactlyOnce() async throws {
        let fake = TwilioFake()
        try await fake.start()
        defer { fake.stop() }
        let repo = try ParleyBinary.initMailbox(in: directory)
        let config = try #require(directory.read("clinic/parley.yaml")).replacingOccurrences(of: "  provider: sandbox\n", with: """
              provider: twilio
              account_sid: \(fake.accountSID)
              api_base_url: \(fake.baseURL)
              public_base_url: https://hooks.brightsmile.example

            """)
        try directory.write("clinic/parley.yaml", config)
        _ = try Shell.git(["commit", "-qam", "Use Twilio"], in: repo)
        try ParleyBinary.grantConsent("3125550147", in: repo)
        fake.behave(.slow(seconds: 30), for: "+13125550147")

        let send = Process()
        send.executableURL = URL(fileURLWithPath: ParleyBinary.path)
        send.arguments = ["send", "3125550147", "--body", "Hi Sarah, this is Bright Smile Dental. Reply STOP to opt out."]
        send.currentDirectoryURL = URL(fileURLWithPath: repo)
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in ParleyBinary.environment { environment[key] = value }
        environment["PARLEY_TWILIO_AUTH_TOKEN"] = fake.authToken
        send.environment = environment
        send.standardOutput = FileHandle.nullDevice
        send.standardError = FileHandle.nullDevice
        try send.run()
        let deadline = Date().addingTimeInterval(20)
        while fake.created.isEmpty && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        #expect(fake.created.count == 1)
        kill(send.processIdentifier, SIGKILL)
        send.waitUntilExit()

        let outbox = try ParleyBinary.run(["outbox"], in: repo, environment: ["PARLEY_TWILIO_AUTH_TOKEN": fake.authToken])
        #expect(outbox.standardOutput.contains("sending"))
        let reconcile = try ParleyBinary.run(["outbox", "reconcile"], in: repo, environment: ["PARLEY_TWILIO_AUTH_TOKEN": fake.authToken])
        #expect(reconcile.status == 0, "\(reconcile.standardError)")
        #expect(reconcile.standardOutput.contains("twilio has it; recorded as sent"))
        #expect(fake.created.count == 1)
        let thread = try ParleyBinary.run(["thread", "3125550147", "--json"], in: repo)
        #expect(thread.standardOutput.components(separatedBy: "\"direction\" : \"outbound\"").count - 1 == 1)
        #expect(thread.standardOutput.contains(fake.created[0].sid))
        #expect(try ParleyBinary.run(["outbox"], in: repo).standardOutput == "The outbox is empty.\n")
        #expect(try ParleyBinary.run(["outbox", "reconcile"], in: repo, environment: ["PARLEY_TWILIO_AUTH_TOKEN": fake.authToken]).standardOutput == "Nothing is in doubt.\n")
    }
}

actor Acknowledged {
    private(set) var ids = Set<String>()
    private(set) var killed = false
    var count: Int { ids.count }
    func add(_ id: String) { ids.insert(id) }
    func markKilled() { killed = true }
}
