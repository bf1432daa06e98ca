import Foundation
import ParleyCore

/// What Kannel's callbacks carry, decoded and validated: the `%t` / `%T`
/// time and the text in the charset Kannel names. Every value from the
/// network is checked here, so nothing out of range reaches the mailbox.
public enum KannelCallback {
    /// `ts`: Kannel's `%t` (`2026-03-09+14:18:07`, UTC; the `+` arrives as
    /// a space) or `%T` (seconds since 1970). Nil when absent; an error for
    /// anything else, including `nan`, `inf` and numbers no date can hold.
    public static func time(_ text: String?) throws(ParleyError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if text.allSatisfy(\.isASCII), text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), text.count <= 12, let seconds = Int(text) {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        if let date = Timestamp.parse(text.replacingOccurrences(of: "+", with: " ") + "Z") { return date }
        throw .invalidInput("ts '\(text.prefix(40))' is neither Kannel's %t (YYYY-MM-DD HH:MM:SS, UTC) nor %T (seconds since 1970)")
    }

    /// The message text. The charset comes from the request's Content-Type,
    /// else from `charset=%C`, else from `coding=%c` (2 is UCS-2, sent as
    /// UTF-16BE), else UTF-8. Bytes that are not valid in that charset are
    /// refused rather than stored garbled.
    public static func text(_ body: [UInt8], contentType: String?, charset: String?, coding: String?) throws(ParleyError) -> String {
        let declared = contentType.flatMap(charsetParameter) ?? charset.flatMap { $0.isEmpty ? nil : $0 }
        let name = (declared ?? (coding == "2" ? "UTF-16BE" : "UTF-8")).uppercased()
        guard let encoding = encodings[name] else {
            throw .invalidInput("the charset '\(name.prefix(40))' is not supported; configure Kannel to send UTF-8 (mo-recode = true)")
        }
        // Foundation's UTF-8 decoding drops a leading U+FEFF: keep what was sent.
        let decoded = encoding == .utf8 ? String(validating: body, as: UTF8.self) : String(bytes: body, encoding: encoding)
        guard let text = decoded else {
            throw .invalidInput("the text is not valid \(name)")
        }
        return text
    }

    private static let encodings: [String: String.Encoding] = [
        "UTF-8": .utf8, "UTF8": .utf8, "US-ASCII": .utf8, "ASCII": .utf8,
        "UTF-16BE": .utf16BigEndian, "UCS-2": .utf16BigEndian, "UCS-2BE": .utf16BigEndian, "UTF-16LE": .utf16LittleEndian,
        "UTF-16": .utf16, "ISO-8859-1": .isoLatin1, "LATIN1": .isoLatin1, "WINDOWS-1252": .windowsCP1252, "CP1252": .windowsCP1252,
    ]

    /// `text/plain; charset=UTF-16BE` → `UTF-16BE`.
    static func charsetParameter(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "charset" { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }
}
