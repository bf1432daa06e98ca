import Foundation
import ParleyCore

/// A gateway for unit tests that answers from a script and remembers what
/// it was asked. The real gateways are tested against their real peers.
public final class ScriptedGateway: Gateway, @unchecked Sendable {
    public let name: String
    public let leavesMachine: Bool
    private let lock = NSLock()
    private var answers: [Result<SubmissionReceipt, GatewayError>]
    private var submitted: [Submission] = []
    /// How long the provider takes to answer: a reply still in flight when the server stops.
    private let latency: Duration

    public init(name: String = "scripted", leavesMachine: Bool = false, answers: [Result<SubmissionReceipt, GatewayError>] = [],
                latency: Duration = .zero) {
        self.name = name
        self.leavesMachine = leavesMachine
        self.answers = answers
        self.latency = latency
    }

    public var submissions: [Submission] { lock.withLock { submitted } }

    public func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt {
        let answer: Result<SubmissionReceipt, GatewayError> = lock.withLock {
            submitted.append(submission)
            return answers.isEmpty ? .success(SubmissionReceipt(gatewayID: "GW\(submitted.count)", status: .queued, raw: "{}")) : answers.removeFirst()
        }
        if latency > .zero { try? await Task.sleep(for: latency) }
        return try answer.get()
    }
}
