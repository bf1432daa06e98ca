import ParleyCore
/// Colour for terminal output: ANSI codes only when the output is a
/// terminal and `NO_COLOR` is unset (the command line decides), plain text
/// otherwise, so pipes and files never carry escape codes.
public struct TextStyle: Sendable {
    public enum Color: Sendable {
        case bold, dim, red, green, yellow, blue, magenta, cyan
    }

    public let usesColor: Bool

    public static let plain = TextStyle(usesColor: false)
    public static let ansi = TextStyle(usesColor: true)

    public init(usesColor: Bool) { self.usesColor = usesColor }

    public func paint(_ text: String, _ color: Color) -> String {
        guard usesColor, !text.isEmpty else { return text }
        let code: String
        switch color {
        case .bold: code = "1"
        case .dim: code = "2"
        case .red: code = "31"
        case .green: code = "32"
        case .yellow: code = "33"
        case .blue: code = "34"
        case .magenta: code = "35"
        case .cyan: code = "36"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
