import Foundation
import ParleyCore
import ParleyGateways
import ParleyServer
import ParleyTestSupport
import Testing

/// Readiness and metrics of the server in process: what a scrape shows
/// after accepted, forged and oversized webhooks, and when /healthz says
/// the server is not ready.
@Suite(.serialized, .enabled(if: Peers.shouldRun(Peers.hasTwilioPackage), "needs PyPI twilio; .ci/run installs it"))
struct ServerOperationsTests {
    @Test func aScrapeCountsWebhooksCommitsAndTheOutbox() async throws {
        let harness = try ServerHarness()
        let health = ServerHealth(gitDirectory: harness.store.gitDirectory, syncInterval: 0)
        try await harness.start { configuration in
            configuration.health = health
            configuration.metrics = ServerMetrics(health: health)
            configuration.bodyLimit = 2048
        }
        defer { harness.stop() }
        let inbound = [("MessageSid", "SMm1"), ("From", "+13125550147"), ("To", "+13125550100"), ("Body", "Hello")]
        #expect(try await harness.postTwilio("/twilio/inbound", inbound).0 == 200)
        #expect(try await harness.postTwilio("/twilio/inbound", inbound).0 == 200)   // a retry: answered, nothing new
        #expect(try await harness.postTwilio("/twilio/inbound", inbound, signature: "forged").0 == 403)
        #expect(try await harness.post("/twilio/inbound", body: String(repeating: "x", count: 4096)).0 == 413)
        let (status, text) = try await harness.get("/metrics")
        #expect(status == 200)
        #expect(text.contains(#"parley_webhooks_total{provider="twilio",outcome="stored",status="200"} 2"#), "\(text)")
        #expect(text.contains(#"parley_webhooks_total{provider="twilio",outcome="refused",status="403"} 1"#))
        #expect(text.contains(#"parley_webhooks_total{provider="twilio",outcome="refused",status="413"} 1"#))
        #expect(text.contains("parley_group_commit_items_count 2"))
        #expect(text.contains("parley_group_commit_duration_seconds_count 2"))
        #expect(text.contains("parley_outbox_entries 0"))
        health.syncSucceeded(at: Date().addingTimeInterval(-30))
        let later = try await harness.get("/metrics").1
        let age = later.split(separator: "\n").first { $0.hasPrefix("parley_seconds_since_last_sync ") }.flatMap { Double($0.split(separator: " ")[1]) }
        #expect(age.map { (29...40).contains($0) } == true, "\(later)")
    }

    @Test func healthSaysWhyTheServerIsNotReady() async throws {
        let harness = try ServerHarness()
        try await harness.start { $0.health = ServerHealth(gitDirectory: harness.directory.path + "/gone", syncInterval: 60) }
        defer { harness.stop() }
        let (status, body) = try await harness.get("/healthz")
        #expect(status == 503)
        #expect(body.hasPrefix("not ready\nrepository: cannot write in"))
        #expect(body.contains("sync: no sync yet"))
        #expect(try await harness.get("/metrics").0 == 404, "metrics only with --metrics")

        let health = ServerHealth(gitDirectory: harness.store.gitDirectory, syncInterval: 60)
        #expect(health.report().ready)
        #expect(!health.report(now: Date().addingTimeInterval(200)).ready)    // three intervals without a sync
        health.syncSucceeded(at: Date().addingTimeInterval(150))
        let recent = health.report(now: Date().addingTimeInterval(200))
        #expect(recent.ready && recent.lines.contains { $0.hasPrefix("sync: last sync 50 s ago") })
    }
}
