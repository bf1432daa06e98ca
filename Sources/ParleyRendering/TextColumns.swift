import ParleyCore
/// Pads text to a display width, counting characters (not bytes), and cuts
/// it with an ellipsis when too long.
public enum TextColumns {
    public static func fit(_ text: String, _ width: Int) -> String {
        if text.count > width { return String(text.prefix(max(0, width - 1))) + "…" }
        return text + String(repeating: " ", count: width - text.count)
    }
}
