import Crypto
import Foundation

/// A picture, video, sound, PDF or contact card sent with a message (MMS).
/// The file is stored content-addressed beside the conversation's records,
/// `conversations/NN/+NUMBER/media/SHA256.EXT`: the same photo sent twice
/// is one file, and a file's name proves its contents. An item that could
/// not be stored (too big, a type Parley does not keep, a failed download)
/// is still listed, with why.
public struct MessageMedia: Sendable, Equatable, Codable {
    /// The name shown to people (the sender's, or `media-1.jpg`).
    public var name: String
    public var contentType: String
    public var size: Int
    /// The file's SHA-256 in hex; nil when it was not stored.
    public var sha256: String?
    /// Why it was not stored.
    public var skipped: String?

    public init(name: String, contentType: String, size: Int, sha256: String?, skipped: String? = nil) {
        self.name = name
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.skipped = skipped
    }

    /// The stored item for `data`, with its hash.
    public static func stored(_ data: Data, name: String, contentType: String) -> MessageMedia {
        MessageMedia(name: name, contentType: contentType, size: data.count, sha256: hash(data))
    }

    public static func hash(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }

    /// Where the file is, nil when it was not stored.
    public func path(for number: PhoneNumber) -> String? {
        guard let sha256, let ext = MediaPolicy.fileExtension(for: contentType) else { return nil }
        return MailboxLayout.mediaDirectory(number) + "/\(sha256).\(ext)"
    }

    var fields: [(String, String?)] {
        [("name", name), ("type", contentType), ("size", String(size)), ("sha256", sha256), ("skipped", skipped)]
    }

    static func parse(_ fields: YAMLFields) throws(ParleyError) -> MessageMedia {
        let type = try fields.string("type")
        guard MediaPolicy.fileExtension(for: type) != nil || fields.has("skipped") else {
            throw fields.problem("type", "media type '\(type)' is not one Parley stores (\(MediaPolicy.allowedTypes.joined(separator: ", ")))")
        }
        let sha = try fields.optionalString("sha256")
        if let sha, !MediaPolicy.isHash(sha) { throw fields.problem("sha256", "'sha256' must be 64 lower-case hex digits") }
        return MessageMedia(name: try fields.string("name"), contentType: type, size: try fields.int("size") ?? 0, sha256: sha,
                            skipped: try fields.optionalString("skipped"))
    }
}

/// What Parley keeps of a message's media, and how big it may be.
public enum MediaPolicy {
    /// The carriers' MMS limit is about 5 MB; nothing bigger is fetched or sent.
    public static let maximumBytes = 5 * 1024 * 1024

    /// Types kept, with the extension their files get. Anything else (an
    /// executable, an archive, HTML) is listed as skipped, never stored.
    static let extensions: [String: String] = [
        "image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp", "image/heic": "heic", "image/heif": "heif",
        "image/bmp": "bmp", "video/mp4": "mp4", "video/3gpp": "3gp", "video/quicktime": "mov", "audio/mpeg": "mp3", "audio/mp4": "m4a",
        "audio/amr": "amr", "audio/ogg": "ogg", "application/pdf": "pdf", "text/vcard": "vcf", "text/x-vcard": "vcf",
        "text/calendar": "ics", "text/plain": "txt",
    ]

    public static var allowedTypes: [String] { extensions.keys.sorted() }

    /// The bare type of a `Content-Type` value (`image/jpeg; charset=…` → `image/jpeg`), lower-cased.
    public static func bareType(_ contentType: String) -> String {
        String(contentType.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
    }

    public static func fileExtension(for contentType: String) -> String? { extensions[bareType(contentType)] }

    /// The type a file's extension names, for `--media FILE`.
    public static func contentType(forExtension ext: String) -> String? {
        let lower = ext.lowercased() == "jpeg" ? "jpg" : ext.lowercased()
        return extensions.filter { $0.value == lower }.map(\.key).sorted().first
    }

    static func isHash(_ text: String) -> Bool {
        text.count == 64 && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    /// A media file's name in a conversation's `media/` folder: the hash and a kept type's extension.
    public static func isStoredFileName(_ name: String) -> Bool {
        let parts = name.split(separator: ".")
        return parts.count == 2 && isHash(String(parts[0])) && extensions.values.contains(String(parts[1]))
    }

    /// A name safe to show and to save under: no folders, no control characters, at most 100 characters.
    public static func displayName(_ given: String?, index: Int, contentType: String) -> String {
        let cleaned = (given ?? "").split(separator: "/").last.map(String.init)?
            .filter { !$0.isNewline && $0.unicodeScalars.allSatisfy { !CharacterSet.controlCharacters.contains($0) } } ?? ""
        if !cleaned.isEmpty, cleaned != ".", cleaned != ".." { return String(cleaned.prefix(100)) }
        return "media-\(index + 1)" + (fileExtension(for: contentType).map { ".\($0)" } ?? "")
    }
}
