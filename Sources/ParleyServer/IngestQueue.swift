import Foundation
import ParleyCore

/// Group commit for webhooks. Each request waits here; a single writer
/// takes everything that arrived while the previous commit was being made
/// and writes it as one commit (fsynced when the store is durable), then
/// answers every waiting request. A webhook is acknowledged only after its
/// commit is durable; if the commit fails, every request in it gets the
/// error, and the provider retries.
public actor IngestQueue {
    private let mailbox: Mailbox
    private var pending: [(IngestItem, CheckedContinuation<IngestOutcome, any Error>)] = []
    private var writing = false
    /// Commits run on their own thread: libgit2 and fsync block.
    private let writer = DispatchQueue(label: "parley.ingest.writer")

    public init(mailbox: Mailbox) { self.mailbox = mailbox }

    public func submit(_ item: IngestItem) async throws -> IngestOutcome {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((item, continuation))
            if !writing {
                writing = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let items = batch.map(\.0)
            let mailbox = self.mailbox
            let result: Result<[IngestOutcome], ParleyError> = await withCheckedContinuation { continuation in
                writer.async {
                    do {
                        continuation.resume(returning: .success(try mailbox.ingest(items).1))
                    } catch let error as ParleyError {
                        continuation.resume(returning: .failure(error))
                    } catch {
                        continuation.resume(returning: .failure(.storage("\(error)")))
                    }
                }
            }
            switch result {
            case .success(let outcomes):
                for (index, entry) in batch.enumerated() { entry.1.resume(returning: outcomes[index]) }
            case .failure(let error):
                for entry in batch { entry.1.resume(throwing: error) }
            }
        }
        writing = false
    }
}
