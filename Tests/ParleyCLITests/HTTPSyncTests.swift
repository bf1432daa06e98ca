import Foundation
import ParleyTestSupport
import Testing

/// `parley clone` and `parley sync` over http with a token, against Git's
/// own smart-HTTP server (`git http-backend`) behind a loopback server that
/// demands Basic authentication, as Git hosts do for https tokens.
@Suite(.serialized, .enabled(if: Peers.shouldRun(Peers.hasPythonAndCurl), "needs python3 and curl; .ci/run installs curl"))
struct HTTPSyncTests {
    let directory = TemporaryDirectory("http")
    static let user = "parley-bot"
    static let token = "tok_5ecret_value_1234"

    func credentials(token: String? = Self.token) -> [String: String] {
        var environment = ["PARLEY_GIT_USERNAME": Self.user, "SSH_AUTH_SOCK": "", "HOME": directory.path]
        environment["PARLEY_GIT_TOKEN"] = token ?? ""
        if token == nil { environment["PARLEY_GIT_TOKEN"] = nil }
        return environment
    }

    /// A mailbox whose hub is served over http; returns the clone's path and the server.
    func hubOverHTTP() throws -> (repo: String, server: GitHTTPServer) {
        let repo = try ParleyBinary.initMailbox(in: directory)
        _ = try Shell.git(["init", "-q", "--bare", directory.file("hub.git")], in: directory.path)
        _ = try Shell.git(["remote", "add", "origin", directory.file("hub.git")], in: repo)
        #expect(try ParleyBinary.run(["sync"], in: repo).status == 0)
        let server = try GitHTTPServer(root: directory.path, user: Self.user, token: Self.token, in: directory)
        _ = try Shell.git(["remote", "set-url", "origin", server.url("hub.git")], in: repo)
        return (repo, server)
    }

    @Test func cloneAndSyncWithAToken() throws {
        let (_, server) = try hubOverHTTP()
        defer { server.stop() }
        let cloned = try ParleyBinary.run(["clone", server.url("hub.git"), "member"], in: directory.path, environment: credentials())
        #expect(cloned.status == 0, "\(cloned.standardError)")
        let member = directory.file("member")
        #expect(try ParleyBinary.run(["receive", "--from", "+13125550147", "--body", "Over http"], in: member).status == 0)
        let synced = try ParleyBinary.run(["sync"], in: member, environment: credentials())
        #expect(synced.status == 0, "\(synced.standardError)")
        #expect(synced.standardOutput.contains("Pushed 1 commit"))
        #expect(try Shell.git(["log", "--format=%s", "-1", "mailbox"], in: directory.file("hub.git")).standardOutput.contains("+13125550147"))
    }

    @Test func aWrongTokenFailsAfterBoundedTriesWithoutShowingItAndKeepsLocalCommits() throws {
        let (repo, server) = try hubOverHTTP()
        defer { server.stop() }
        #expect(try ParleyBinary.run(["receive", "--from", "+13125550147", "--body", "Kept"], in: repo).status == 0)
        let head = try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput
        let started = Date()
        let wrong = try ParleyBinary.run(["sync"], in: repo, environment: credentials(token: "tok_wrong_value_9876"))
        #expect(wrong.status == 74)
        #expect(wrong.standardError.contains("did not accept the token in PARLEY_GIT_TOKEN"), "\(wrong.standardError)")
        #expect(!wrong.standardError.contains("tok_wrong_value_9876"))
        #expect(Date().timeIntervalSince(started) < 30, "the credential callback gives up instead of looping")
        let missing = try ParleyBinary.run(["sync"], in: repo, environment: credentials(token: nil))
        #expect(missing.status == 74)
        #expect(missing.standardError.contains("set PARLEY_GIT_TOKEN"), "\(missing.standardError)")
        #expect(try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput == head)
        #expect(try Shell.git(["status", "--porcelain"], in: repo).standardOutput == "")
    }
}

/// Git's smart-HTTP CGI (`git http-backend`) behind a small Python server
/// on loopback that answers 401 unless the Basic credentials match.
final class GitHTTPServer: @unchecked Sendable {
    let port = Peers.freePort()
    private let process = Process()

    static let script = #"""
        import base64, os, subprocess, sys
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        root, port, user, token = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
        expected = "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def do_GET(self): self.serve()
            def do_POST(self): self.serve()
            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip().split(b";")[0], 16)
                        if size == 0:
                            self.rfile.readline()
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))
            def serve(self):
                body = self.body()
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="hub"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                path, _, query = self.path.partition("?")
                env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path, QUERY_STRING=query,
                           REQUEST_METHOD=self.command, CONTENT_TYPE=self.headers.get("Content-Type", ""),
                           CONTENT_LENGTH=str(len(body)), REMOTE_USER=user, REMOTE_ADDR="127.0.0.1")
                output = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
                separator = b"\r\n\r\n" if b"\r\n\r\n" in output else b"\n\n"
                head, _, payload = output.partition(separator)
                status, headers = 200, []
                for line in head.replace(b"\r\n", b"\n").split(b"\n"):
                    name, _, value = line.decode().partition(":")
                    if name.lower() == "status":
                        status = int(value.strip().split()[0])
                    elif name:
                        headers.append((name, value.strip()))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#

    init(root: String, user: String, token: String, in directory: TemporaryDirectory) throws {
        try directory.write("git-http-server.py", Self.script)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", directory.file("git-http-server.py"), root, String(port), user, token]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? Shell.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", url("hub.git/info/refs")]))?.standardOutput == "401" { return }
            usleep(100_000)
        }
        stop()
        throw PeerError("the git http server did not start on \(port)")
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// SIGKILL: the child inherits the test runner's blocked signals, so SIGTERM would wait forever.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
