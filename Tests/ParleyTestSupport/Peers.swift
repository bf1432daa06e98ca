import Foundation

/// Real peers the integration tests talk to. Locally a missing peer skips
/// its tests with a message; in CI (`CI=true`) the tests run and fail,
/// because `.ci/run` installs the peers.
public enum Peers {
    public static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    public static var hasTwilioPackage: Bool {
        (try? Shell.run("python3", ["-c", "import twilio.request_validator"]))?.status == 0
    }

    public static var hasKannel: Bool {
        ["/usr/sbin/bearerbox", "/usr/sbin/smsbox", "/usr/lib/kannel/test/fakesmsc"].allSatisfy(FileManager.default.isExecutableFile(atPath:))
    }

    /// Python 3 and curl, for the loopback Git smart-HTTP server.
    public static var hasPythonAndCurl: Bool {
        (try? Shell.run("python3", ["--version"]))?.status == 0 && (try? Shell.run("curl", ["--version"]))?.status == 0
    }

    /// Debian's chromium, which renders the HTML report headless.
    public static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile(atPath:))
    }

    public static var hasSSHD: Bool {
        ["/usr/sbin/sshd", "/usr/bin/ssh-keygen"].allSatisfy(FileManager.default.isExecutableFile(atPath:))
    }

    /// Whether to run a test needing a peer: when it is there, or in CI (where its absence is a failure).
    /// tmux, which runs `parley tui` in a real terminal for the workspace tests.
    public static var tmux: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static func shouldRun(_ available: Bool) -> Bool { available || inCI }

    /// The X-Twilio-Signature the official `twilio` package computes.
    public static func twilioSignature(url: String, parameters: [(String, String)], authToken: String) throws -> String {
        let payload = try JSONSerialization.data(withJSONObject: ["url": url, "token": authToken, "params": parameters.map { [$0.0, $0.1] }])
        let script = """
            import json, sys
            from twilio.request_validator import RequestValidator
            class MultiDict(dict):
                # Repeated keys, the way Flask's MultiDict hands them to the validator.
                def getall(self, key):
                    return self[key]
            data = json.load(sys.stdin)
            params = MultiDict()
            for key, value in data["params"]:
                params.setdefault(key, []).append(value)
            print(RequestValidator(data["token"]).compute_signature(data["url"], params), end="")
            """
        let result = try Shell.run("python3", ["-c", script], input: String(decoding: payload, as: UTF8.self))
        guard result.status == 0 else { throw PeerError("twilio RequestValidator failed: \(result.standardError)") }
        return result.standardOutput
    }

    /// A free TCP port on 127.0.0.1.
    public static func freePort() -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public struct PeerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
