import Foundation
import ParleyCore
import ParleyGateways
@testable import ParleyServer
import ParleyTestSupport
import Testing

/// Requests a careless or hostile peer could send: the server answers each
/// with a clear status, stores nothing unusable and never stops.
@Suite(.serialized) struct WebhookHardeningTests {
    let secret = "k=\(ServerHarness.kannelSecret)"

    @Test func kannelTimesNoDateCanHoldAreRefusedAndTheServerKeepsGoing() async throws {
        let harness = try ServerHarness()
        try await harness.start()
        defer { harness.stop() }
        let before = try harness.commitCount()
        let bad = ["nan", "inf", "-inf", "1e308", "99999999999999999999", "-5", "999999999999", "0", "2026-13-01+10:00:00", "yesterday"]
        // Bad and good requests at once: one batch must not take the others down.
        let statuses = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for (index, ts) in bad.enumerated() {
                group.addTask { (ts, try await harness.post("/kannel/inbound?\(self.secret)&from=%2B13125550147&id=bad\(index)&ts=\(ts)", body: "hello").0) }
                group.addTask { ("good", try await harness.post("/kannel/inbound?\(self.secret)&from=%2B13125550123&id=good\(index)", body: "hi \(index)").0) }
            }
            return try await group.reduce(into: [(String, Int)]()) { $0.append($1) }
        }
        for (ts, status) in statuses { #expect(status == (ts == "good" ? 200 : 400), "ts=\(ts)") }
        #expect(try harness.mailbox.conversations.conversation(orNil: Fixtures.sarah) == nil)
        #expect(try harness.mailbox.conversations.conversation(Fixtures.tom).messages.count == bad.count)
        #expect(try harness.commitCount() > before)
        #expect(try await harness.get("/healthz").0 == 200)
        // A DLR's ts is checked the same way.
        #expect(try await harness.get("/kannel/dlr?\(secret)&st=1&ref=01JN0000000000000000000000&to=%2B13125550147&ts=nan").0 == 400)
    }

    @Test func kannelTimeAndCharsetAreDecodedAsKannelSendsThem() async throws {
        let harness = try ServerHarness()
        try await harness.start()
        defer { harness.stop() }
        let text = "Ça marche 👍\r\nmerci"
        let utf16 = Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        // %t arrives as 2026-03-09+14:18:07 (UTC); the + is a space once decoded.
        let stamped = "/kannel/inbound?\(secret)&from=%2B13125550147&id=u1&ts=2026-03-09+14:18:07&coding=2&charset=UTF-16BE"
        #expect(try await harness.post(stamped, bytes: utf16, headers: ["Content-Type": "text/plain; charset=UTF-16BE"]).0 == 200)
        #expect(try await harness.post("/kannel/inbound?\(secret)&from=%2B13125550147&id=u2&coding=2", bytes: utf16).0 == 200)
        #expect(try await harness.post("/kannel/inbound?\(secret)&from=%2B13125550147&id=u3&ts=1773065887&charset=ISO-8859-1", bytes: [0x43, 0x61, 0x66, 0xE9]).0 == 200)
        #expect(try await harness.post("/kannel/inbound?\(secret)&from=%2B13125550147&id=u4&charset=KOI8-R", body: "x").0 == 400)
        #expect(try await harness.post("/kannel/inbound?\(secret)&from=%2B13125550147&id=u5", bytes: [0xFF, 0xFE, 0x00]).0 == 400)
        let messages = try harness.mailbox.conversations.conversation(Fixtures.sarah).messages
        #expect(messages.map(\.body) == [text, "Café", text])
        #expect(messages.first { $0.id == "u1" }?.time == Timestamp.parse("2026-03-09T14:18:07Z"))
        #expect(messages.first { $0.id == "u3" }?.time == Date(timeIntervalSince1970: 1_773_065_887))
    }

    @Test func repeatedFieldsAndSecretsInAnySpellingAreHandled() async throws {
        let harness = try ServerHarness()
        try await harness.start()
        defer { harness.stop() }
        let before = try harness.commitCount()
        #expect(try await harness.post("/kannel/inbound?\(secret)&from=%2B13125550147&from=%2B13125550123&id=d1", body: "x").0 == 400)
        #expect(try await harness.post("/kannel/inbound?\(secret)&\(secret)&from=%2B13125550147&id=d2", body: "x").0 == 403)
        #expect(try harness.commitCount() == before)
        // The secret percent-encoded letter by letter still authenticates, and is never stored.
        let encoded = ServerHarness.kannelSecret.utf8.map { String(format: "%%%02X", $0) }.joined()
        #expect(try await harness.get("/kannel/dlr?k=\(encoded)&st=1&fid=F1&ref=unknownref&to=%2B13125550147").0 == 200)
        let grep = try Shell.git(["grep", "-i", "-e", ServerHarness.kannelSecret, "-e", encoded, "HEAD", "mailbox"], in: harness.directory.path)
        #expect(grep.standardOutput.isEmpty)
        #expect(try Shell.git(["grep", "-c", "fid=F1", "mailbox"], in: harness.directory.path).status == 0)
    }

    @Test func addressesAreComparedByValue() throws {
        let allow = try #require(AddressAllowlist(["127.0.0.1", "::1", "10.0.0.5"]))
        #expect(allow.contains("::ffff:127.0.0.1"))
        #expect(allow.contains("0:0:0:0:0:0:0:1"))
        #expect(allow.contains("::ffff:10.0.0.5"))
        #expect(!allow.contains("10.0.0.6"))
        #expect(!allow.contains("not an address"))
        #expect(!allow.contains(nil))
        #expect(AddressAllowlist(["10.0.0"]) == nil)
        #expect(AddressAllowlist.isLoopback("127.0.0.1") && AddressAllowlist.isLoopback("::1") && AddressAllowlist.isLoopback("localhost"))
        #expect(!AddressAllowlist.isLoopback("0.0.0.0") && !AddressAllowlist.isLoopback("::") && !AddressAllowlist.isLoopback("192.168.1.4"))
    }

    @Test func idleConnectionsAreClosed() async throws {
        let harness = try ServerHarness()
        try await harness.start { $0.idleTimeout = 0.5 }
        defer { harness.stop() }
        // Half-open: connected, then nothing, or headers that never finish.
        let sockets = (0..<40).map { index in RawSocket(port: harness.port, send: index.isMultiple(of: 2) ? "" : "POST /kannel/inbound HTTP/1.1\r\nHost: x\r\n") }
        defer { sockets.forEach { $0.close() } }
        try await Task.sleep(nanoseconds: 2_000_000_000)
        #expect(sockets.filter { $0.isClosedByPeer() }.count == sockets.count)
        #expect(try await harness.get("/healthz").0 == 200)
    }
}

/// A plain TCP client that can leave a connection idle.
struct RawSocket {
    let descriptor: Int32

    init(port: Int, send text: String) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if !text.isEmpty { _ = text.withCString { write(descriptor, $0, strlen($0)) } }
    }

    /// True when the server has closed its end (a read returns end of file or a reset).
    func isClosedByPeer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { return false }
            if read(descriptor, &buffer, buffer.count) <= 0 { return true }
        }
    }

    func close() { _ = Glibc.close(descriptor) }
}
