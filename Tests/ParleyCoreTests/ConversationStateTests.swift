import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct ConversationStateTests {
    func event(_ kind: ConversationEvent.Kind, _ minute: Double, assignee: String? = nil, tags: [String] = [], id: String? = nil) -> ConversationEvent {
        ConversationEvent(id: id ?? "E\(Int(minute))", kind: kind, time: Fixtures.monday.addingTimeInterval(minute * 60), by: "dana", assignee: assignee, tags: tags)
    }

    @Test func foldsEventsInTimeOrderWhateverTheirStorageOrder() {
        let events = [event(.tag, 3, tags: ["b"]), event(.assign, 1, assignee: "sam"), event(.tag, 2, tags: ["a", "b"]),
                      event(.untag, 4, tags: ["a"]), event(.assign, 5, assignee: "dana"), event(.close, 6)]
        let state = ConversationState.fold(events: events, inboundTimes: [])
        #expect(state == ConversationState.fold(events: events.reversed(), inboundTimes: []))
        #expect(state.assignee == "dana")
        #expect(state.tags == ["b"])
        #expect(!state.isOpen)
        #expect(state.closedBy == "dana")
    }

    @Test func anInboundMessageAfterCloseReopens() {
        let events = [event(.close, 1)]
        #expect(!ConversationState.fold(events: events, inboundTimes: [Fixtures.monday]).isOpen)
        #expect(ConversationState.fold(events: events, inboundTimes: [Fixtures.monday.addingTimeInterval(120)]).isOpen)
    }

    @Test func simultaneousEventsAreOrderedByIdSoEveryCloneAgrees() {
        let a = event(.assign, 1, assignee: "sam", id: "A"), b = event(.assign, 1, assignee: "lee", id: "B")
        #expect(ConversationState.fold(events: [a, b], inboundTimes: []).assignee == "lee")
        #expect(ConversationState.fold(events: [b, a], inboundTimes: []).assignee == "lee")
    }

    @Test func deliveryStatusOnlyMovesForward() {
        func record(_ status: DeliveryStatus) -> DeliveryRecord { DeliveryRecord(messageID: "m", status: status, time: Fixtures.monday, gateway: "x") }
        #expect(DeliveryRecord.effectiveStatus(of: [record(.delivered), record(.sent), record(.queued)], initial: .pending) == .delivered)
        #expect(DeliveryRecord.effectiveStatus(of: [record(.sent)], initial: .queued) == .sent)
        #expect(DeliveryRecord.effectiveStatus(of: [], initial: .queued) == .queued)
    }
}
