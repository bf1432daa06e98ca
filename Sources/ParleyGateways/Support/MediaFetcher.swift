import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyCore

/// Downloads the media an inbound MMS announced, before the message is
/// stored: at most `MediaPolicy.maximumBytes` each, only the types Parley
/// keeps, with a deadline. Redirects are followed by hand, without the
/// provider's credentials (Twilio answers its media URL with a redirect to
/// storage elsewhere, which must not see them). An item that fails is kept
/// as skipped, with why: the customer's text is never lost for a picture.
public struct MediaFetcher: Sendable {
    /// A client that never follows redirects by itself.
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    let maximumBytes: Int
    let timeout: TimeAmount

    public init(maximumBytes: Int = MediaPolicy.maximumBytes, timeout: TimeAmount = .seconds(10)) {
        self.maximumBytes = maximumBytes
        self.timeout = timeout
    }

    /// Each reference fetched or skipped; `authorization` gives the header value a URL needs (nil: none).
    public func fetch(_ references: [MediaReference], authorization: @Sendable (String) -> String?) async -> [InboundMedia] {
        var media: [InboundMedia] = []
        for (index, reference) in references.enumerated() {
            media.append(await fetch(reference, index: index, authorization: authorization))
        }
        return media
    }

    func fetch(_ reference: MediaReference, index: Int, authorization: @Sendable (String) -> String?) async -> InboundMedia {
        let declared = reference.contentType.map(MediaPolicy.bareType) ?? "application/octet-stream"
        let name = MediaPolicy.displayName(reference.name, index: index, contentType: declared)
        func skipped(_ why: String, type: String = declared, size: Int = 0) -> InboundMedia {
            InboundMedia(name: name, contentType: type, data: nil, skipped: why, size: size)
        }
        if reference.contentType != nil, MediaPolicy.fileExtension(for: declared) == nil { return skipped("\(declared) is not a type Parley keeps") }
        var url = reference.url
        var credentials = authorization(url)
        for _ in 0..<4 {
            guard Self.isFetchable(url) else { return skipped("not an https URL") }
            var request = HTTPClientRequest(url: url)
            if let credentials { request.headers.add(name: "Authorization", value: credentials) }
            do {
                let response = try await Self.client.execute(request, timeout: timeout)
                if (300...399).contains(response.status.code), let location = response.headers.first(name: "Location"),
                   let next = URL(string: location, relativeTo: URL(string: url))?.absoluteString {
                    url = next
                    credentials = nil
                    continue
                }
                guard (200...299).contains(response.status.code) else { return skipped("the provider answered \(response.status.code)") }
                let type = response.headers.first(name: "Content-Type").map(MediaPolicy.bareType) ?? declared
                guard MediaPolicy.fileExtension(for: type) != nil else { return skipped("\(type) is not a type Parley keeps", type: type) }
                if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maximumBytes {
                    return skipped("over \(maximumBytes / 1_048_576) MB", type: type, size: length)
                }
                do {
                    let body = try await response.body.collect(upTo: maximumBytes)
                    return InboundMedia(name: name, contentType: type, data: Data(body.readableBytesView))
                } catch is NIOTooManyBytesError {
                    return skipped("over \(maximumBytes / 1_048_576) MB", type: type, size: maximumBytes + 1)
                }
            } catch {
                return skipped("download failed: \(String(describing: error).prefix(120))")
            }
        }
        return skipped("too many redirects")
    }

    /// https anywhere; plain http only on loopback (the tests' fakes).
    static func isFetchable(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let host = components.host else { return false }
        return components.scheme == "https" || (components.scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host))
    }
}
