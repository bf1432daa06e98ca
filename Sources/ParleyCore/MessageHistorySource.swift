import Foundation

/// A capability a gateway may declare: its provider lists the messages the
/// account sent, so `parley import` can record what other systems sent
/// from it (docs/AUTOMATION.md). Parley's own sends are in such a list too;
/// recording skips them by their provider id.
public protocol MessageHistorySource: Gateway {
    /// What the list is called, for messages and commits ("Twilio's message list").
    var historyName: String { get }

    /// Every outbound message sent between `since` and `until` (default: now), as `automated:SYSTEM` messages.
    func outboundMessages(since: Date, until: Date?, system: String,
                          progress: @Sendable (Int) -> Void) async throws(GatewayError) -> [AutomatedMessage]
}
