import Foundation
import ParleyCore
import ParleyGateways
import Testing

@Suite struct SandboxGatewayTests {
    func submission(_ number: String, _ body: String = "Hello") throws -> Submission {
        Submission(id: "01JNX8Q3Z4T5V6W7X8Y9Z0ABCD", from: try PhoneNumber.parse("+13125550100"), to: try PhoneNumber.parse(number), body: body, segments: SegmentCount(body))
    }

    @Test func deliversWithIdPriceAndReceipts() async throws {
        let receipt = try await SandboxGateway().submit(submission("+13125550147", String(repeating: "a", count: 200)))
        #expect(receipt.gatewayID == SandboxGateway.gatewayID(for: "01JNX8Q3Z4T5V6W7X8Y9Z0ABCD"))
        #expect(receipt.gatewayID?.count == 32)
        #expect(receipt.status == .queued)
        #expect(receipt.segments == 2)
        #expect(receipt.price == "-0.0158")
        #expect(receipt.laterReports.map(\.status) == [.sent, .delivered])
        #expect(receipt.report.raw?.contains("\"reference\":\"01JNX8Q3Z4T5V6W7X8Y9Z0ABCD\"") == true)
    }

    @Test func reservedNumbersFailInTheirDocumentedWays() async throws {
        let gateway = SandboxGateway()
        #expect(try await gateway.submit(submission("+13125550199")).laterReports.last?.errorCode == "30003")
        #expect(try await gateway.submit(submission("+13125550198")).laterReports.last?.status == .undelivered)
        await #expect(throws: GatewayError.rejected(code: "21211", message: "The 'To' number +13125550197 is not a valid phone number", raw: "{\"code\":\"21211\",\"message\":\"The 'To' number is not a valid phone number.\",\"status\":\"400\"}")) {
            try await gateway.submit(submission("+13125550197"))
        }
        await #expect(throws: GatewayError.self) { try await gateway.submit(submission("+13125550196")) }
        await #expect(throws: GatewayError.ambiguous(message: "the sandbox accepted the request and then went silent (simulated timeout)")) {
            try await gateway.submit(submission("+13125550195"))
        }
        await #expect(throws: GatewayError.unavailable(message: "429 Too Many Requests (simulated); nothing was sent", retryAfter: 1)) {
            try await gateway.submit(submission("+13125550194"))
        }
    }
}
