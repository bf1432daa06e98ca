import Foundation
import Logging
import ParleyCore

/// Acts on the delivery reports that say a text failed: a text the
/// carriers filtered is announced to the team (with its line and template),
/// and the line is judged again—when too many of its latest sends failed it
/// pauses itself, which is announced too. The report itself is stored
/// first, by the ingest queue; nothing here can lose it.
final class DeliverabilityWatch: Sendable {
    let current: CurrentMailbox
    let poster: AlertPoster?
    let logger: Logger

    init(current: CurrentMailbox, poster: AlertPoster?, logger: Logger) {
        self.current = current
        self.poster = poster
        self.logger = logger
    }

    /// After `report` was stored: alerts and the line's review.
    func noticed(_ report: StatusReport) async {
        guard report.status == .failed || report.status == .undelivered, let number = report.number, let id = report.reference else { return }
        let mailbox = current.value
        do {
            guard let message = try Conversation.load(number, from: mailbox.store.snapshot())?.messages.first(where: { $0.id == id }),
                  message.direction == .outbound, let line = mailbox.config.line(number: message.from) else { return }
            let record = DeliveryRecord(report.report, messageID: id, gateway: report.gateway, gatewayID: report.gatewayID, at: mailbox.clock.now())
            if mailbox.deliverability.classify(record) == .filtered {
                await announce("Carriers filtered a text from line \(line.label) to \(number.e164)"
                    + (message.template.map { " (template \($0))" } ?? " (not from a template)")
                    + ": \(report.gateway) error \(report.report.errorCode ?? "?"). See parley report, Deliverability.")
            }
            if let pause = try mailbox.deliverability.review(line) {
                logger.warning("line paused itself", metadata: ["line": "\(line.name)", "reason": "\(pause.reason)"])
                await announce("Line \(line.label) paused itself: \(pause.reason). Nothing more is sent from it until someone runs "
                    + "'parley line resume \(line.name) --reason TEXT'.")
            }
        } catch {
            logger.error("could not judge the line after a failed delivery", metadata: ["message": "\(id)", "problem": "\(error)"])
        }
    }

    private func announce(_ text: String) async {
        guard let poster else { return }
        do {
            try await poster.post(text)
        } catch {
            logger.error("could not post a deliverability alert", metadata: ["to": "\(poster.destination)", "problem": "\(error)"])
        }
    }
}
