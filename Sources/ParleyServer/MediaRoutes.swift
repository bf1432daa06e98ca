import Foundation
import Hummingbird
import NIOCore
import ParleyCore
import ParleyGateways

/// `GET /media/FILE?…`: the outbound media providers fetch, answered only
/// for a link Parley signed and that has not expired (`MediaLinks`).
struct MediaRoutes: Sendable {
    let links: MediaLinks
    let current: CurrentMailbox

    func add(to router: Router<WebhookContext>) {
        router.get("/media/:file") { request, context in
            let file = context.parameters.get("file") ?? ""
            guard let path = links.path(file: file, query: request.uri.query ?? "") else {
                return WebhookHandler.response(WebhookResponse(status: 403, body: "not a valid media link"))
            }
            guard let data = try? await Task.detached(operation: { try current.value.store.snapshot().read(path) }).value else {
                return WebhookHandler.response(WebhookResponse(status: 404, body: "no such media"))
            }
            let type = MediaPolicy.contentType(forExtension: String(file.split(separator: ".").last ?? "")) ?? "application/octet-stream"
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "private, max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
