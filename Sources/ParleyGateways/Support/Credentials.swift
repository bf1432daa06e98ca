import Foundation
import ParleyCore

/// Gateway secrets. They come from the environment or from a credentials
/// file outside the repository (`PARLEY_CREDENTIALS_FILE`, default
/// `~/.config/parley/credentials`) of `KEY=value` lines, readable by its
/// owner only. They never enter the repository or a log line.
public struct Credentials: Sendable {
    private let values: [String: String]

    public init(values: [String: String]) { self.values = values }

    /// Reads the environment, then the credentials file for what the
    /// environment does not set. Refuses a file others can read, or one
    /// inside the mailbox.
    public static func load(environment: [String: String], repositoryRoot: String?) throws(ParleyError) -> Credentials {
        var values: [String: String] = [:]
        let path = environment["PARLEY_CREDENTIALS_FILE"] ?? environment["HOME"].map { "\($0)/.config/parley/credentials" }
        if let path, FileManager.default.fileExists(atPath: path) {
            let resolved = URL(fileURLWithPath: path).standardizedFileURL.path
            if let root = repositoryRoot, resolved.hasPrefix(URL(fileURLWithPath: root).standardizedFileURL.path + "/") {
                throw .invalidInput("the credentials file \(path) is inside the mailbox; move it outside the repository (e.g. "
                    + "~/.config/parley/credentials)")
            }
            var info = stat()
            guard stat(path, &info) == 0 else { throw .invalidInput("cannot read the credentials file \(path)") }
            guard info.st_mode & 0o077 == 0 else {
                throw .invalidInput("the credentials file \(path) can be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); run: "
                    + "chmod 600 \(path)")
            }
            guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw .invalidInput("cannot read the credentials file \(path)")
            }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                guard let equals = trimmed.firstIndex(of: "=") else {
                    throw .invalidInput("\(path):\(number + 1): expected KEY=value")
                }
                let key = String(trimmed[..<equals]).trimmingCharacters(in: .whitespaces)
                values[key] = String(trimmed[trimmed.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            }
        }
        for (key, value) in environment where key.hasPrefix("PARLEY_") && !value.isEmpty { values[key] = value }
        return Credentials(values: values)
    }

    public subscript(_ key: String) -> String? { values[key] }

    /// The secret, or an error naming where to put it.
    public func require(_ key: String, for purpose: String) throws(ParleyError) -> String {
        guard let value = values[key], !value.isEmpty else {
            throw .gateway("\(purpose) needs \(key): set it in the environment or in ~/.config/parley/credentials (chmod 600), never in parley.yaml")
        }
        return value
    }
}
