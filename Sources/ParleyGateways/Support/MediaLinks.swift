import Crypto
import Foundation
import ParleyCore

/// The URLs providers fetch outbound media from: `parley serve`'s
/// `/media/SHA256.EXT?to=…&expires=…&sig=…`, signed with
/// `PARLEY_MEDIA_LINK_SECRET` (HMAC-SHA256 over the number, the file and
/// the expiry) so only links Parley handed out, for a week, are answered.
/// The file is the one committed with the send; the number keeps a link
/// from reaching another conversation's media.
public struct MediaLinks: Sendable {
    let publicBaseURL: String
    let secret: String
    /// Links expire by it.
    let clock: ParleyClock
    /// Long enough for a provider's retries, short enough that a leaked link dies.
    public static let lifetime: TimeInterval = 7 * 86_400

    public init?(publicBaseURL: String?, secret: String?, clock: ParleyClock) {
        guard let publicBaseURL = StatusCallback.trimmed(publicBaseURL), let secret, !secret.isEmpty else { return nil }
        self.publicBaseURL = publicBaseURL
        self.secret = secret
        self.clock = clock
    }

    /// The link for a stored item; nil for one that was not stored.
    public func url(for media: MessageMedia, to number: PhoneNumber) -> String? {
        guard let path = media.path(for: number) else { return nil }
        let file = String(path.split(separator: "/").last ?? "")
        let expires = String(Int(clock.now().addingTimeInterval(Self.lifetime).timeIntervalSince1970))
        let query = FormEncoding.encode([("to", number.e164), ("expires", expires), ("sig", signature(number.e164, file, expires))])
        return "\(publicBaseURL)/media/\(file)?\(query)"
    }

    /// The repository path a request may read, or nil: a forged, altered or expired link, or a name that is not a media file.
    public func path(file: String, query: String) -> String? {
        guard MediaPolicy.isStoredFileName(file),
              let fields = try? FormEncoding.fields(FormEncoding.decode(query), reading: ["to", "expires", "sig"]),
              let to = fields["to"], let number = PhoneNumber(e164: to), let expires = fields["expires"], let seconds = Double(expires),
              seconds >= clock.now().timeIntervalSince1970, let given = fields["sig"],
              ConstantTime.equal(given, signature(number.e164, file, expires)) else { return nil }
        return MailboxLayout.mediaDirectory(number) + "/" + file
    }

    func signature(_ number: String, _ file: String, _ expires: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(number)|\(file)|\(expires)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return code.hexString
    }

    /// The links of a submission's media, in order (none for a text); refused when a gateway without links is given media.
    static func urls(_ links: MediaLinks?, for submission: Submission) throws(GatewayError) -> [String] {
        guard !submission.media.isEmpty else { return [] }
        guard let links else { throw .misconfigured("sending media needs gateway.public_base_url and PARLEY_MEDIA_LINK_SECRET") }
        return try links.urls(for: submission)
    }

    func urls(for submission: Submission) throws(GatewayError) -> [String] {
        var urls: [String] = []
        for item in submission.media {
            guard let url = url(for: item, to: submission.to) else { throw .misconfigured("\(item.name) was not stored; it cannot be sent") }
            urls.append(url)
        }
        return urls
    }
}
