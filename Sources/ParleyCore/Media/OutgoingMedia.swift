import Foundation

/// A file a person sends with a message (`parley send --media FILE`).
public struct OutgoingMedia: Sendable, Equatable {
    public let name: String
    public let contentType: String
    public let data: Data

    /// The file at `path`, refused when it is too big or of a type Parley does not keep (by its extension).
    public static func load(_ path: String) throws(ParleyError) -> OutgoingMedia {
        let url = URL(fileURLWithPath: path)
        guard let type = MediaPolicy.contentType(forExtension: url.pathExtension) else {
            throw .invalidInput("\(path): cannot send a .\(url.pathExtension) file; send JPEG, PNG, GIF, WebP, HEIC, MP4, MP3, PDF, vCard, "
                + "iCalendar or plain text")
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), let size = attributes[.size] as? Int,
              let data = FileManager.default.contents(atPath: path) else { throw .notFound("cannot read \(path)") }
        guard size <= MediaPolicy.maximumBytes, data.count <= MediaPolicy.maximumBytes else {
            throw .invalidInput("\(path) is \(size / 1024) KB; carriers take at most \(MediaPolicy.maximumBytes / 1_048_576) MB per message")
        }
        return OutgoingMedia(name: MediaPolicy.displayName(url.lastPathComponent, index: 0, contentType: type), contentType: type, data: data)
    }

    public init(name: String, contentType: String, data: Data) {
        self.name = name
        self.contentType = contentType
        self.data = data
    }

    var stored: MessageMedia { MessageMedia.stored(data, name: name, contentType: contentType) }

    /// The files a send with `media` commits, keyed by path; refused when the gateway cannot send media or there are too many.
    static func files(_ media: [OutgoingMedia], for number: PhoneNumber, via gateway: any Gateway) throws(ParleyError) -> [String: Data?] {
        guard !media.isEmpty else { return [:] }
        guard gateway.supportsMedia else {
            throw .invalidInput("the \(gateway.name) gateway cannot send media; send the text alone, or use a provider that sends MMS")
        }
        guard media.count <= 10 else { throw .invalidInput("at most 10 media per message, not \(media.count)") }
        var files: [String: Data?] = [:]
        for item in media {
            guard MediaPolicy.fileExtension(for: item.contentType) != nil, item.data.count <= MediaPolicy.maximumBytes else {
                throw .invalidInput("\(item.name): not a type and size carriers take (at most 5 MB)")
            }
            if let path = item.stored.path(for: number) { files[path] = item.data }
        }
        return files
    }
}
