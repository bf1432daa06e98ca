/// Which way a message went.
public enum Direction: String, Codable, Sendable, CaseIterable {
    case inbound
    case outbound
}
