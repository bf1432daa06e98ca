import Foundation
import ParleyCore

/// The mailbox the server works with, replaced whole when SIGHUP reloads
/// its settings: a request or a flush in progress keeps the one it took.
final class CurrentMailbox: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var mailbox: Mailbox

    init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    var value: Mailbox {
        get { lock.withLock { mailbox } }
        set { lock.withLock { mailbox = newValue } }
    }
}
