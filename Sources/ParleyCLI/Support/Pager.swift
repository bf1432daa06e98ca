import Foundation

/// Long output on a terminal goes through a pager, as Git's does:
/// `PARLEY_PAGER`, else `PAGER`, else `less -FRX` (which quits at once when
/// the text fits). Never when the output is piped or captured.
struct Pager {
    let environment: [String: String]
    let output: Output

    /// Terminal rows, from the terminal itself, else `LINES`, else 24.
    var terminalRows: Int {
        var size = winsize()
        if output.isTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
        return environment["LINES"].flatMap(Int.init) ?? 24
    }

    func show(_ text: String) {
        let command = environment["PARLEY_PAGER"] ?? environment["PAGER"] ?? "less -FRX"
        let lines = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        guard output.isTerminal, !command.isEmpty, command != "cat", lines >= terminalRows else {
            output.write(text)
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardInput = pipe
        do {
            try process.run()
        } catch {
            output.write(text)
            return
        }
        pipe.fileHandleForWriting.write(Data(text.utf8))
        try? pipe.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
