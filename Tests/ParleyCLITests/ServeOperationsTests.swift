import Foundation
import ParleyTestSupport
import Testing

/// `parley serve` as an operator runs it: JSON logs, Prometheus metrics
/// scraped over HTTP, readiness at /healthz, and parley.yaml reloaded on
/// SIGHUP while requests keep being answered.
@Suite(.serialized) struct ServeOperationsTests {
    let directory = TemporaryDirectory("serve-ops")
    static let secret = "ops-kannel-secret"

    func request(_ method: String, _ url: String, body: String? = nil) throws -> (Int, String) {
        var arguments = ["-s", "-m", "10", "-X", method, "-w", "\n%{http_code}", url]
        if let body { arguments += ["--data-binary", body, "-H", "Content-Type: text/plain; charset=utf-8"] }
        let result = try Shell.run("curl", arguments)
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    func thread(_ number: String, in repo: String) throws -> [[String: Any]] {
        let result = try ParleyBinary.run(["thread", number, "--json"], in: repo)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        return (object?["messages"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? [String: Any] }
    }

    @Test(.enabled(if: Peers.shouldRun(Peers.hasPythonAndCurl), "needs curl"))
    func jsonLogsMetricsReadinessAndReloadOnHangUp() async throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let port = Peers.freePort()
        let server = try ServeProcess(repo: repo, arguments: ["--port", String(port), "--flush-every", "0", "--metrics", "--log-format", "json"],
                                      environment: ["LOG_LEVEL": "info", "PARLEY_KANNEL_WEBHOOK_SECRET": Self.secret],
                                      logPath: directory.file("serve.log"))
        defer { server.stop() }
        _ = try await server.waitFor("listening on")
        let base = "http://127.0.0.1:\(port)"

        let health = try request("GET", base + "/healthz")
        #expect(health.0 == 200 && health.1.hasPrefix("ok\nrepository: writable\nsync: off"), "\(health)")

        func help(from number: String, id: String) throws -> Int {
            try request("POST", base + "/kannel/inbound?k=\(Self.secret)&from=%2B1312555\(number)&to=%2B13125550100&id=\(id)", body: "HELP").0
        }
        #expect(try help(from: "0147", id: "kannel-1") == 200)
        #expect(try request("POST", base + "/kannel/inbound?k=wrong&from=%2B13125550147", body: "hi").0 == 403)

        // The settings change on main; SIGHUP makes the running server use them.
        let config = try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8)
        try config.replacingOccurrences(of: "  replies: true", with: "  replies: true\n  help_reply: \"Bright Smile front desk: call (312) 555-0100. Reply STOP to opt out.\"")
            .write(toFile: repo + "/parley.yaml", atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "A friendlier HELP answer"], in: repo)
        kill(server.process.processIdentifier, SIGHUP)
        let reloaded = try await server.waitFor("reloaded the settings on SIGHUP")
        #expect(reloaded.contains("reloaded the settings on SIGHUP"))
        #expect(try help(from: "0123", id: "kannel-2") == 200)
        #expect(server.process.isRunning, "SIGHUP must not stop the server")

        // Each reply is recorded after its webhook's commit: wait for the second.
        var tom: [[String: Any]] = []
        for _ in 0..<50 where tom.count < 2 {
            tom = try thread("+13125550123", in: repo)
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let sarahReply = try thread("+13125550147", in: repo).last?["body"] as? String
        #expect(sarahReply?.contains("For help call") == true, "the first HELP got the default answer")
        #expect(tom.last?["body"] as? String == "Bright Smile front desk: call (312) 555-0100. Reply STOP to opt out.")

        let metrics = try request("GET", base + "/metrics")
        #expect(metrics.0 == 200)
        let text = metrics.1
        #expect(text.contains(#"parley_webhooks_total{provider="kannel",outcome="stored",status="200"} 2"#), "\(text)")
        #expect(text.contains(#"parley_webhooks_total{provider="kannel",outcome="refused",status="403"} 1"#))
        #expect(text.contains(#"parley_sends_total{status="delivered"} 2"#) || text.contains(#"parley_sends_total{status="queued"} 2"#))
        #expect(text.contains("# TYPE parley_group_commit_duration_seconds histogram"))
        #expect(text.contains("parley_outbox_entries 0"))
        #expect(text.contains("parley_seconds_since_last_sync -1"))

        // Every log line the server wrote is one JSON object.
        let lines = server.log.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count >= 4)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] != nil && object?["message"] != nil && object?["time"] != nil, "\(line)")
        }
        #expect(!server.log.contains(Self.secret))
    }
}
