import Foundation

/// Media a provider says came with an inbound message: where to fetch it
/// and the type it declared. The server fetches it (bounded, allowlisted)
/// before the message is stored.
public struct MediaReference: Sendable, Equatable {
    public var url: String
    public var contentType: String?
    public var name: String?

    public init(url: String, contentType: String?, name: String? = nil) {
        self.url = url
        self.contentType = contentType
        self.name = name
    }
}

/// Fetched media, or why it was not: what ingest stores.
public struct InboundMedia: Sendable, Equatable {
    public var name: String
    public var contentType: String
    public var data: Data?
    public var skipped: String?
    /// The size the provider or the download reported, for an item not stored.
    public var size: Int

    public init(name: String, contentType: String, data: Data?, skipped: String? = nil, size: Int? = nil) {
        self.name = name
        self.contentType = contentType
        self.data = data
        self.skipped = skipped
        self.size = size ?? data?.count ?? 0
    }
}
