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

    public init(name: String = "scripted", leavesMachine: Bool = false, answers: [Result<SubmissionReceipt, GatewayError>] = []) {
        self.name = name
        self.leavesMachine = leavesMachine
        self.answers = answers
    }

    public var submissions: [Submission] { lock.withLock { submitted } }

    public func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt {
        let answer: Result<SubmissionReceipt, GatewayError> = lock.withLock {
            submitted.append(submission)
            return answers.isEmpty ? .success(SubmissionReceipt(gatewayID: "GW\(submitted.count)", status: .queued, raw: "{}")) : answers.removeFirst()
        }
        return try answer.get()
    }
}
