import AsyncHTTPClient
import Foundation
import NIOCore

/// `parley-bench --load URL`: the webhook benchmark's clients, run as their
/// own process so the server's figures are not shared with them. Posts
/// Kannel inbound messages (secret `bench`) from `concurrency` clients and
/// fails on any answer but 200.
struct LoadGenerator {
    let baseURL: String
    let total: Int
    let concurrency: Int

    func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)))
        let (total, concurrency, baseURL) = (self.total, self.concurrency, self.baseURL)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var index = worker
                        while index < total {
                            let query = "k=bench&from=%2B1312\(2_000_000 + index % 5_000)&id=bench-\(index)"
                            var request = HTTPClientRequest(url: "\(baseURL)/kannel/inbound?\(query)")
                            request.method = .POST
                            request.body = .bytes(ByteBuffer(string: "Benchmark message \(index): can I move my appointment?"))
                            let response = try await client.execute(request, timeout: .seconds(60))
                            guard response.status == .ok else { throw CocoaError(.fileWriteUnknown) }
                            index += concurrency
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
