/// One problem the linter found, located as `line:column` in the text.
public struct LintFinding: Equatable, Sendable, Codable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let rule: String
    public let level: ToneGuide.Level
    public let message: String

    public var description: String { "\(line):\(column): \(rule): \(message)" }
}
