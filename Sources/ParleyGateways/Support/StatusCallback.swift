import Foundation
import ParleyCore

/// The status callback URL Parley gives a provider: its message id and the
/// number, so the report finds its conversation without a search.
enum StatusCallback {
    static func url(_ publicBaseURL: String?, provider: String, for submission: Submission) -> String? {
        publicBaseURL.map { "\($0)/\(provider)/status?ref=\(submission.id)&to=\(FormEncoding.escape(submission.to.e164))" }
    }

    static func trimmed(_ url: String?) -> String? { url.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } }
}
