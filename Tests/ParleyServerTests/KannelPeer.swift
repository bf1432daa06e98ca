import Foundation
import ParleyTestSupport

/// Debian's Kannel on loopback: bearerbox, the fake SMSC client `fakesmsc`
/// and smsbox, on free ports, configured like the verified reference
/// configuration documented in docs/GATEWAYS.md.
final class KannelPeer: @unchecked Sendable {
    let directory = TemporaryDirectory("kannel")
    let adminPort = Peers.freePort(), smsboxPort = Peers.freePort(), sendsmsPort = Peers.freePort(), smscPort = Peers.freePort()
    let username = "tester", password = "foobar"
    private var processes: [Process] = []

    var sendsmsURL: String { "http://127.0.0.1:\(sendsmsPort)/cgi-bin/sendsms" }
    var fakesmscLog: String { directory.read("fakesmsc.log") ?? "" }

    /// `inbound` is one message fakesmsc sends as soon as it connects: "FROM TO text BODY".
    func start(parleyPort: Int, secret: String, inbound: String) throws {
        try directory.write("kannel.conf", """
            group = core
            admin-port = \(adminPort)
            admin-password = adminpass
            status-password = statuspass
            admin-interface = 127.0.0.1
            admin-allow-ip = "127.0.0.1"
            smsbox-port = \(smsboxPort)
            smsbox-interface = 127.0.0.1
            box-allow-ip = "127.0.0.1"
            log-file = "\(directory.path)/bearerbox.log"
            log-level = 0
            store-type = file
            store-location = "\(directory.path)/kannel.store"
            dlr-storage = internal

            group = smsc
            smsc = fake
            smsc-id = FAKE
            port = \(smscPort)
            our-host = 127.0.0.1
            connect-allow-ip = 127.0.0.1

            group = smsbox
            bearerbox-host = 127.0.0.1
            sendsms-port = \(sendsmsPort)
            sendsms-interface = 127.0.0.1
            log-file = "\(directory.path)/smsbox.log"
            log-level = 0
            mo-recode = true
            http-request-retry = 3
            http-queue-delay = 1

            group = sendsms-user
            username = \(username)
            password = \(password)
            user-allow-ip = "127.0.0.1"
            max-messages = 10
            concatenation = true

            group = sms-service
            keyword = default
            catch-all = true
            post-url = "http://127.0.0.1:\(parleyPort)/kannel/inbound?k=\(secret)&from=%p&to=%P&ts=%t&smsc=%i&id=%I&coding=%c&charset=%C"
            max-messages = 0

            """)
        try launch("/usr/sbin/bearerbox", ["-v", "1", directory.file("kannel.conf")], log: "bearerbox.out")
        try waitForPort(adminPort)
        try waitForPort(smscPort)
        try launch("/usr/lib/kannel/test/fakesmsc", ["-H", "127.0.0.1", "-r", String(smscPort), "-i", "0.5", "-m", "1", inbound], log: "fakesmsc.log")
        try launch("/usr/sbin/smsbox", ["-v", "1", directory.file("kannel.conf")], log: "smsbox.out")
        try waitForPort(sendsmsPort)
    }

    /// Shuts Kannel down through its admin interface, then stops fakesmsc.
    func stop() {
        _ = try? Shell.run("curl", ["-s", "--max-time", "3", "http://127.0.0.1:\(adminPort)/shutdown?password=adminpass"])
        let deadline = Date().addingTimeInterval(10)
        while processes.first?.isRunning == true && Date() < deadline { usleep(100_000) }
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
    }

    private func launch(_ executable: String, _ arguments: [String], log: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: directory.file(log), contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.file(log)))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes.append(process)
    }

    private func waitForPort(_ port: Int) throws {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            close(socket)
            if connected == 0 { return }
            usleep(100_000)
        }
        throw PeerError("Kannel did not open port \(port); see \(directory.path)")
    }
}
