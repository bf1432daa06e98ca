import ArgumentParser
import Foundation
import ParleyCore

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a message and commit it with the gateway's receipt.",
        discussion: """
            Examples:
              parley send "(312) 555-0147" --body "Hi Sarah, your crown is ready. - Bright Smile Dental"
              parley send +13125550147 --body "See you at 3:30 pm" --json
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The recipient's number.")
    var number: String

    @Option(help: "The message text.")
    var body: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        try await reporting {
            let context = try CommandContext()
            let mailbox = try context.openMailbox(repository)
            let recipient = try mailbox.parseNumber(number)
            let gateway = try context.gateway(for: mailbox)
            let result = try await mailbox.send(to: recipient, body: body, via: gateway)
            try SendReport(result: result, style: context.style, json: json).print(to: context.output)
        }
    }
}

/// Prints what a send did, and fails with the gateway's status when it refused.
struct SendReport {
    let result: SendResult
    let style: TextStyle
    let json: Bool

    struct JSONShape: Encodable {
        let id: String
        let to: String
        let status: DeliveryStatus
        let gateway: String
        let gatewayID: String?
        let segments: Int
        let encoding: String
        let commit: String?
        let error: String?
    }

    func print(to output: Output) throws {
        let message = result.message
        if json {
            output.write(JSONOutput.encode(JSONShape(
                id: message.id, to: message.to.e164, status: result.status, gateway: message.gateway, gatewayID: message.gatewayID,
                segments: result.segments.segments, encoding: result.segments.encoding.rawValue, commit: result.commit?.id,
                error: result.rejection?.description)))
        } else {
            let verb = result.rejection == nil ? "Sent" : "Not sent"
            output.line("\(style.paint(verb, .bold)) \(message.id) to \(message.to.formatted)")
            output.line("  status    \(result.status.rawValue) (\(message.gateway)\(message.gatewayID.map { " \($0)" } ?? ""))")
            output.line("  segments  \(result.segments.segments) (\(result.segments.encoding.rawValue), \(message.body.count) characters)")
            if let commit = result.commit { output.line("  commit    \(commit.shortID)") }
            for path in result.commit?.keptLocalEdits ?? [] {
                output.error("parley: note: \(path) has uncommitted edits in the work tree; they were left as they are")
            }
        }
        if let rejection = result.rejection {
            throw ParleyError.gateway("\(message.gateway) \(rejection); the attempt is recorded in the conversation")
        }
    }
}
