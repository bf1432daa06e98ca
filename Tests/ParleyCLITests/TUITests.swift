import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// `parley tui` as a person uses it: tmux runs it in a real terminal,
/// `send-keys` types, `capture-pane` reads the screen.
@Suite(.serialized, .enabled(if: Peers.shouldRun(Peers.tmux != nil), "needs tmux; .ci/run installs it"))
struct TUITests {
    /// One tmux session running `parley tui` in `repo`, then a shell line saying how it ended.
    final class Session {
        let tmux: String
        let name = "parley-tui-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

        init(repo: String, columns: Int = 100, rows: Int = 30, agent: String = "dana") throws {
            tmux = try #require(Peers.tmux, "tmux is not installed")
            var variables = ParleyBinary.environment
            variables["PARLEY_AGENT"] = agent
            let environment = variables.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
            let command = "cd '\(repo)' && env \(environment) TERM=xterm-256color '\(ParleyBinary.path)' tui; echo \"EXITED $?\"; sleep 30"
            // The tmux server outlives this call: it must not hold the test's pipes open.
            try Shell.startDaemon([tmux, "-L", name, "new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)", command])
                .requireSuccess()
        }

        deinit { _ = try? Shell.run(tmux, ["-L", name, "kill-server"]) }

        @discardableResult
        func run(_ arguments: [String]) throws -> String {
            let result = try Shell.run(tmux, ["-L", name] + arguments)
            try result.requireSuccess()
            return result.standardOutput
        }

        func screen() throws -> String { try run(["capture-pane", "-t", name, "-p"]) }

        func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }

        func press(_ key: String) throws { try run(["send-keys", "-t", name, key]) }

        /// Waits up to `seconds` for the screen to show `text`; fails with the screen as it is.
        func waitFor(_ text: String, seconds: Double = 15) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if last.contains(text) { return last }
                Thread.sleep(forTimeInterval: 0.2)
            }
            Issue.record("the screen never showed \"\(text)\":\n\(last)")
            throw CancellationError()
        }
    }

    @Test func aPersonRepliesSeesARefusalWithItsWayOutAndANewTextArrivesByItself() throws {
        let directory = TemporaryDirectory("tui")
        let repo = try ParleyBinary.initMailbox(in: directory)
        try ParleyBinary.grantConsent("+13125550147", in: repo)
        try ParleyBinary.run(["receive", "--from", "+13125550147", "--body", "Can I come Thursday instead?", "--no-reply",
                              "--time", "2026-03-09T08:30:00-05:00"], in: repo).requireSuccess()
        try ParleyBinary.run(["receive", "--from", "+13125550123", "--body", "Who is this?", "--no-reply",
                              "--time", "2026-03-09T08:45:00-05:00"], in: repo).requireSuccess()

        let session = try Session(repo: repo)
        var screen = try session.waitFor("CUSTOMER WAITING FOR US (2)")
        #expect(screen.contains("Can I come Thursday instead?") && screen.contains("r reply"))

        // Reply inline to the first (longest-waiting) customer: sent, committed.
        try session.press("r")
        _ = try session.waitFor("Reply:")
        try session.type("Bright Smile Dental here: Thursday at 3 works. Reply STOP to opt out.")
        try session.press("Enter")
        screen = try session.waitFor("Sent ")
        let thread = try ParleyBinary.run(["thread", "+13125550147", "--json"], in: repo)
        try thread.requireSuccess()
        #expect(thread.standardOutput.contains("Thursday at 3 works. Reply STOP to opt out."))

        // The answered conversation moved down to "we wait"; the selection stayed on it. Up to the
        // other customer, who never agreed: the gate refuses, in place, with the way out.
        try session.press("k")
        try session.press("r")
        _ = try session.waitFor("Reply:")
        try session.type("Hello from the front desk")
        try session.press("Enter")
        screen = try session.waitFor("Refused by")
        #expect(screen.contains("Way out:") && screen.contains("l queue for the next allowed time"))
        try session.press("Escape")
        _ = try session.waitFor("Not sent.")
        let untouched = try ParleyBinary.run(["thread", "+13125550123", "--json"], in: repo)
        #expect(!untouched.standardOutput.contains("Hello from the front desk"))

        // A text stored by another process shows up without a key press.
        try ParleyBinary.run(["receive", "--from", "+13125550111", "--body", "Is there parking?", "--no-reply"], in: repo).requireSuccess()
        _ = try session.waitFor("+1 312-555-0111")

        // The screen follows a resize: narrower than 110 columns, the thread goes below the list.
        try session.run(["resize-window", "-t", session.name, "-x", "120", "-y", "30"])
        screen = try session.waitFor("│")
        try session.run(["resize-window", "-t", session.name, "-x", "90", "-y", "26"])
        screen = try session.waitFor("──────")
        #expect(!screen.contains("│"))

        // q leaves the terminal as it was: the shell line after it runs.
        try session.press("q")
        _ = try session.waitFor("EXITED 0")
    }

    @Test func anotherAgentApprovesAHeldTextFromTheWorkspace() throws {
        let directory = TemporaryDirectory("tui-approve")
        let repo = try ParleyBinary.initMailbox(in: directory)
        let config = repo + "/parley.yaml"
        try (try String(contentsOfFile: config, encoding: .utf8) + "\nreview:\n  always:\n    - first_contact\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "Review first contacts"], in: repo).requireSuccess()
        try ParleyBinary.grantConsent("+13125550147", in: repo)
        let held = try ParleyBinary.run(["send", "+13125550147", "--body", "Bright Smile Dental: your crown is ready. Reply STOP to opt out."],
                                        in: repo)
        #expect(held.status == 6)

        let session = try Session(repo: repo, agent: "sam")
        _ = try session.waitFor("r reply")
        try session.press("p")
        _ = try session.waitFor("AWAITING APPROVAL (1)")
        try session.press("y")
        _ = try session.waitFor("Approved and sent")
        _ = try session.waitFor("AWAITING APPROVAL (0)")
        let thread = try ParleyBinary.run(["thread", "+13125550147", "--json"], in: repo)
        #expect(thread.standardOutput.contains("\"approvedBy\" : \"sam\""))
        try session.press("q")
        _ = try session.waitFor("EXITED 0")
    }

    @Test func ctrlCGivesTheTerminalBack() throws {
        let directory = TemporaryDirectory("tui-interrupt")
        let repo = try ParleyBinary.initMailbox(in: directory)
        let session = try Session(repo: repo)
        _ = try session.waitFor("r reply")
        try session.press("C-c")
        let screen = try session.waitFor("EXITED 130")
        #expect(!screen.contains("r reply"), "the workspace is still on the screen:\n\(screen)")
    }

    @Test func aTerminalTooSmallOrNoTerminalIsAClearError() throws {
        let directory = TemporaryDirectory("tui-small")
        let repo = try ParleyBinary.initMailbox(in: directory)
        let session = try Session(repo: repo, columns: 60, rows: 20)
        let screen = try session.waitFor("EXITED 64")
        #expect(screen.contains("parley tui needs at least 80"))
        let piped = try ParleyBinary.run(["tui"], in: repo)
        #expect(piped.status == 64 && piped.standardError.contains("needs a terminal"))
        let outside = try ParleyBinary.run(["tui"], in: directory.path)
        #expect(outside.status == 66)
    }
}
