import Foundation
import Hummingbird
import Logging
import NIOCore
import ParleyCore
import ParleyGateways

/// The endpoint through which a business's automated systems work with
/// Parley (docs/AUTOMATION.md), authenticated by `Authorization: Bearer`
/// with `PARLEY_AUTOMATION_TOKEN`, compared in constant time:
///
/// - `POST /automation/messages` records what the system sent itself
///   (idempotent by `provider_id`), so the customer's reply finds it;
/// - `POST /automation/send` asks Parley to send through the same
///   compliance gate as a person (consent, opt-out, quiet hours, first
///   contact, tone), as the agent `auto-SYSTEM`: 200 with the message,
///   422 with the refusal, 202 when the outcome is in doubt.
struct AutomationRoutes: Sendable {
    let token: String
    let current: CurrentMailbox
    let gateway: (any Gateway)?
    let bodyLimit: Int
    let logger: Logger

    func add(to router: Router<WebhookContext>) {
        router.post("/automation/messages") { request, _ in await answer(request) { object in try record(object) } }
        router.post("/automation/send") { request, _ in await answer(request) { object in try await send(object) } }
    }

    /// Authenticates, reads the JSON object, runs `work`, and answers its JSON or the error.
    private func answer(_ request: Request, _ work: ([String: Any]) async throws -> (Int, [String: Any])) async -> Response {
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), ConstantTime.equal(String(header.dropFirst(7)), token) else {
            logger.warning("refused an automation request without the token")
            return json(401, ["error": "Authorization: Bearer PARLEY_AUTOMATION_TOKEN required"])
        }
        var request = request
        guard let body = try? await request.collectBody(upTo: bodyLimit) else { return json(413, ["error": "body over \(bodyLimit) bytes"]) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            return json(400, ["error": "expected a JSON object"])
        }
        do {
            let (status, answer) = try await work(object)
            return json(status, answer)
        } catch let error as ParleyError {
            switch error {
            case .invalidInput, .malformed: return json(400, ["error": error.description])
            case .refused: return json(422, ["refused": error.description])
            case .inDoubt: return json(202, ["in_doubt": error.description])
            case .awaitingApproval: return json(202, ["awaiting_approval": error.description])
            case .gateway: return json(502, ["error": error.description])
            default: return json(500, ["error": error.description])
            }
        } catch {
            return json(500, ["error": "\(error)"])
        }
    }

    private func record(_ object: [String: Any]) throws -> (Int, [String: Any]) {
        let mailbox = current.value
        let fields = object.compactMapValues { ($0 as? String) ?? ($0 as? NSNumber)?.stringValue }
        var row = fields
        row["time"] = row["time"] ?? Timestamp.format(mailbox.clock.now())
        let message = try AutomatedMessageFile.message(row, at: 1, path: "request", system: fields["system"] ?? "automation",
                                                       gateway: fields["gateway"] ?? "automation", defaultRegion: mailbox.config.defaultCountry)
        let result = try AutomatedMessages(mailbox: mailbox).record([message], source: "the automation endpoint (\(message.system))")
        logger.info("automated message recorded", metadata: ["system": "\(message.system)", "recorded": "\(result.recorded.count)"])
        return (200, ["recorded": result.recorded, "already_there": result.alreadyThere, "suppressed": result.suppressed])
    }

    private func send(_ object: [String: Any]) async throws -> (Int, [String: Any]) {
        guard let gateway else { throw ParleyError.gateway("the server has no working gateway; nothing was sent") }
        let mailbox = current.value
        guard let to = object["to"] as? String, let body = object["body"] as? String, let system = object["system"] as? String else {
            throw ParleyError.invalidInput("to, body and system are required")
        }
        let name = try AutomatedMessage.validSystem(system)
        let agent = Agent(handle: "auto-\(name)", name: "\(name) (automated)", email: "\(name)@automation.parley.invalid")
        let sender = Mailbox(store: mailbox.store, config: mailbox.config, clock: mailbox.clock, agent: agent)
        let result = try await sender.sending.send(to: try mailbox.parseNumber(to), OutgoingMessage(body: body), via: gateway)
        logger.info("automated send", metadata: ["system": "\(name)", "id": "\(result.message.id)", "status": "\(result.message.status.rawValue)"])
        var answer: [String: Any] = ["id": result.message.id, "status": result.message.status.rawValue, "gateway_id": result.message.gatewayID ?? ""]
        if let rejection = result.rejection { answer["refused_by_provider"] = rejection.description }
        if let problem = result.recordProblem { answer["warning"] = "sent, but not yet recorded: \(problem)" }
        return (result.rejection == nil ? 200 : 502, answer)
    }

    private func json(_ status: Int, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
