import Foundation
import GRDB
import ParleyCore

/// `parley retention`: what is past its time under `parley.yaml`'s
/// `retention:`—messages older than the message period, and people whose
/// last message (or consent record, for someone never texted) is older
/// than the consent period—read from the derived index.
public struct RetentionReview: Sendable, Codable {
    public struct Person: Sendable, Codable, Equatable {
        public let number: String
        public let lastActivity: Date
    }

    public var messagesBefore: Date?
    public var expiredMessages = 0
    public var conversationsWithExpiredMessages = 0
    public var consentBefore: Date?
    /// Everyone whose whole record is past its time, oldest first.
    public var expiredPeople: [Person] = []

    public var isEmpty: Bool { expiredMessages == 0 && expiredPeople.isEmpty }

    public static func review(_ mailbox: Mailbox, progress: IndexProgress? = nil) throws(ParleyError) -> RetentionReview {
        let policy = mailbox.config.retention, now = mailbox.clock.now()
        var review = RetentionReview(messagesBefore: policy.messages?.before(now), consentBefore: policy.consent?.before(now))
        let (messagesBefore, consentBefore) = (review.messagesBefore, review.consentBefore)
        try mailbox.store.sqlIndex().read(at: mailbox.store.snapshot(), details: .all, progress: progress) { db in
            if let cutoff = messagesBefore?.timeIntervalSince1970 {
                let row = try Row.fetchOne(db, sql: "SELECT count(*), count(DISTINCT number) FROM messages WHERE time < ?", arguments: [cutoff])
                review.expiredMessages = row?[0] ?? 0
                review.conversationsWithExpiredMessages = row?[1] ?? 0
            }
            if let cutoff = consentBefore?.timeIntervalSince1970 {
                review.expiredPeople = try Row.fetchAll(db, sql: """
                    SELECT number, max(time) AS last FROM (SELECT number, time FROM messages UNION ALL SELECT number, time FROM consent_events)
                    GROUP BY number HAVING last < ? ORDER BY last, number
                    """, arguments: [cutoff]).map { Person(number: $0["number"], lastActivity: Date(timeIntervalSince1970: $0["last"])) }
            }
        }
        return review
    }

    /// Erases what the review found: every expired person in one rewrite
    /// of the history, then the old messages in another.
    public func apply(to mailbox: Mailbox) throws(ParleyError) -> [ErasureRecord] {
        let people = expiredPeople.compactMap { person in
            PhoneNumber(e164: person.number).map { number in
                (number, "retention: nothing since \(Timestamp.format(person.lastActivity)), past the "
                    + "consent period (\(mailbox.config.retention.consent?.description ?? "?"))")
            }
        }
        var records = try Erasure.erase(people, suppress: false, in: mailbox)
        if expiredMessages > 0, let cutoff = messagesBefore {
            records.append(try Erasure.eraseMessages(before: cutoff, reason: "retention: messages are kept "
                + "\(mailbox.config.retention.messages?.description ?? "?")", in: mailbox))
        }
        return records
    }
}
