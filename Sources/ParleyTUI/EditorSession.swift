import Foundation
import ParleyCore

/// Opens text in the person's editor (`$VISUAL`, `$EDITOR`, else `vi`) and
/// returns what they saved. The temporary file is only removed after the
/// edit was committed, so a rejected edit is never lost. Used by the
/// commands (`draft`, `contact edit`, `note`, `approve --edit`) and by the
/// workspace, which hands the terminal over while the editor runs.
public struct EditorSession {
    public let file: URL

    public init(initialText: Data, name: String) throws(ParleyError) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-edit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        file = directory.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try initialText.write(to: file)
        } catch {
            throw .storage("cannot prepare a file to edit in \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Runs the editor and returns the saved bytes.
    public func edit(environment: [String: String]) throws(ParleyError) -> Data {
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "parley-editor", file.path]
        do {
            try process.run()
        } catch {
            throw .invalidInput("cannot start the editor '\(editor)': \(error.localizedDescription); set EDITOR")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw .invalidInput("the editor '\(editor)' exited with status \(process.terminationStatus); nothing was changed (your text is in "
                + "\(file.path))")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw .invalidInput("the edited file \(file.path) is gone; nothing was changed")
        }
        return data
    }

    public func discard() {
        try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
    }
}
