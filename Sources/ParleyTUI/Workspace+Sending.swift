import Foundation
import ParleyCore

/// Replies and approvals: through the gate, with a refusal shown in place.
extension Workspace {
    /// Asks the gate first; a refusal stays on screen with its way out
    /// (`l` queues it for the next allowed time, `o` overrides with a reason).
    func send(_ outgoing: OutgoingMessage, to number: PhoneNumber) async {
        guard !outgoing.body.isEmpty else { return say("Nothing to send.", .yellow) }
        do {
            if let refusal = ComplianceGate.refusal(in: try mailbox.sending.check(number, outgoing)) {
                mode = .refusal(refusal, number, outgoing)
                return
            }
            let result = try await mailbox.sending.send(to: number, outgoing, via: gateway)
            say("Sent \(result.message.id) (\(result.status.rawValue))" + (result.recordProblem.map { "; warning: \($0)" } ?? ""), .green)
        } catch {
            if case .awaitingApproval = error { say("Held for approval: another agent approves it (p).", .yellow) } else { say("\(error)", .red) }
        }
        reload(force: true)
    }

    /// `name var=value "other=two words"`: the template filled for the customer (their contact's
    /// values, then these), sent through the gate like a typed reply.
    func sendTemplate(_ line: String, to number: PhoneNumber) async {
        var words: [String] = [], current = "", quoted = false
        for character in line + " " {
            if character == "\"" { quoted.toggle(); continue }
            if character == " " && !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        guard let name = words.first else { return say("Give a template's name.", .yellow) }
        var values: [String: String] = [:]
        for pair in words.dropFirst() {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return say("'\(pair)' is not name=value.", .yellow) }
            values[parts[0]] = parts[1]
        }
        do {
            let template = try mailbox.templates.template(name)
            let body = try mailbox.templates.fill(template, for: number, setting: values)
            await send(OutgoingMessage(body: body, template: template), to: number)
        } catch {
            say("\(error)", .red)
        }
    }

    func decide(_ key: Terminal.Key, _ verdict: RuleVerdict, _ number: PhoneNumber, _ outgoing: OutgoingMessage) async {
        switch key {
        case .character("l"):
            mode = .browse
            do {
                let entry = try mailbox.outbox.schedule(to: number, outgoing, at: mailbox.outbox.nextAllowedTime(for: number))
                say("Queued \(entry.id) for \(entry.notBefore.map { Timestamp.format($0) } ?? "later"); 'parley outbox flush' sends it", .green)
            } catch {
                say("\(error)", .red)
            }
            reload(force: true)
        case .character("o"):
            pending = (number, outgoing)
            mode = .prompt(.override(verdict.rule), "")
        case .escape, .character("q"):
            mode = .browse
            say("Not sent.")
        default: break
        }
    }

    /// `text` as the person left it in `$EDITOR`, the terminal handed over meanwhile; nil (and said why) when the editor failed.
    private func edited(_ text: String, name: String) -> String? {
        do {
            let session = try EditorSession(initialText: Data(text.utf8), name: name)
            defer { session.discard() }
            let data = try terminal.suspend { () throws(ParleyError) -> Data in try session.edit(environment: environment) }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            say("\(error)", .red)
            return nil
        }
    }

    /// Writes the reply in `$EDITOR`, then sends it like an inline one.
    func replyInEditor(to number: PhoneNumber) async {
        guard let body = edited("", name: "reply.txt") else { return }
        await send(OutgoingMessage(body: body), to: number)
    }

    /// Edits a held text in `$EDITOR`: the editor becomes its author, so another agent approves it.
    func editHeld(_ entry: OutboxEntry) {
        guard let body = edited(entry.body, name: "message.txt") else { return }
        act { try mailbox.approvals.edit(entry.id, body: body) } done: { "Edited: it is yours now and waits for another agent" }
    }

    func approveSelection() async {
        guard case .approval(let entry) = list.selection else { return say("Approvals are under p.", .yellow) }
        do {
            switch try await mailbox.approvals.approve(entry.id, via: gateway, signingKey: signingKey) {
            case .sent(let result): say("Approved and sent \(result.message.id)", .green)
            case .scheduled(let approved): say("Approved \(approved.id); it goes at its time", .green)
            }
        } catch {
            say("\(error)", .red)
        }
        reload(force: true)
    }
}
