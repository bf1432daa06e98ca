import ParleyCore

/// The gateway error an operation ends with; nil when it succeeds.
public func gatewayFailure(of operation: () async throws(GatewayError) -> Void) async -> GatewayError? {
    do {
        try await operation()
        return nil
    } catch {
        return error
    }
}
