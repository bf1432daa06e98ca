import Foundation
import ParleyCore
import ParleyIndex

/// The keys: single letters in the list, a line of text at a prompt.
extension Workspace {
    static let help = "r reply  e editor  T template  a take  A assign  t tag  c close  s snooze  n note  v review  / search  p approvals  q quit"
    static let approvalHelp = "y approve  E edit (then another agent approves)  x reject  p inbox  q quit"

    func handle(_ key: Terminal.Key) async {
        if key == .resize { return }
        switch mode {
        case .browse: await browse(key)
        case .prompt(let prompt, let text): await type(key, into: prompt, text)
        case .refusal(let verdict, let number, let outgoing): await decide(key, verdict, number, outgoing)
        }
    }

    private func browse(_ key: Terminal.Key) async {
        switch key {
        case .down, .character("j"): list.move(by: 1); loadThread()
        case .up, .character("k"): list.move(by: -1); loadThread()
        case .character("q"): running = false
        case .character("g"): reload(force: true)
        case .character("/"): mode = .prompt(.search, "")
        case .character("p"): switchView(to: { if case .approvals = view { .inbox } else { .approvals } }())
        case .escape: switchView(to: .inbox)
        case .character("y"): await approveSelection()
        case .character("x"): if case .approval = list.selection { mode = .prompt(.reject, "") }
        case .character("E"): if case .approval(let entry) = list.selection { editHeld(entry) }
        case .character(let letter):
            guard let number = list.selection?.number else { return say("Nothing selected.") }
            switch letter {
            case "r": mode = .prompt(.reply, "")
            case "e": await replyInEditor(to: number)
            case "T":
                let names = (try? mailbox.templates.all().map(\.name).joined(separator: ", ")) ?? ""
                mode = .prompt(.template(names: names), "")
            case "a": act { try mailbox.triage.assign(number, to: mailbox.agent.handle) } done: { "Yours now" }
            case "A": mode = .prompt(.assign, "")
            case "t": mode = .prompt(.tag, "")
            case "c": mode = .prompt(.close, "")
            case "s": mode = .prompt(.snooze, "")
            case "n": mode = .prompt(.note, "")
            case "v": mode = .prompt(.review, "")
            default: say(Self.help)
            }
        default: break
        }
    }

    private func switchView(to next: View) {
        view = next
        list = WorkspaceList()
        reload(force: true)
    }

    private func type(_ key: Terminal.Key, into prompt: Prompt, _ text: String) async {
        switch key {
        case .escape: mode = .browse; say("")
        case .backspace: mode = .prompt(prompt, String(text.dropLast()))
        case .enter:
            mode = .browse
            await submit(prompt, text.trimmingCharacters(in: .whitespaces))
        case .character(let character) where prompt == .review:
            mode = .browse
            await submit(prompt, String(character))
        case .character(let character): mode = .prompt(prompt, text + String(character))
        default: break
        }
    }

    private func submit(_ prompt: Prompt, _ text: String) async {
        if prompt == .search {
            guard !text.isEmpty else { return switchView(to: .inbox) }
            return switchView(to: .search(text))
        }
        if prompt == .reject {
            guard case .approval(let entry) = list.selection else { return }
            return act { _ = try mailbox.approvals.reject(entry.id, reason: text) } done: { "Returned to \(entry.agent) as a draft" }
        }
        guard let number = list.selection?.number else { return }
        switch prompt {
        case .reply: await send(OutgoingMessage(body: text), to: number)
        case .assign:
            let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
            guard let handle = parts.first else { return say("Give a handle.", .yellow) }
            act { try mailbox.triage.assign(number, to: handle.lowercased(), note: parts.count > 1 ? parts[1] : nil) } done: { "Assigned to \(handle)" }
        case .tag:
            act { try mailbox.triage.tag(number, add: text.split(separator: " ").map(String.init)) } done: { "Tagged" }
        case .close:
            act { try mailbox.triage.close(number, outcome: text.isEmpty ? nil : text) } done: { "Closed" }
        case .note:
            act { try mailbox.triage.note(number, text) } done: { "Noted" }
        case .snooze:
            let untilReply = text.lowercased() == "reply"
            guard untilReply || snoozeEnd(text) != nil else { return say("Snooze for 30m, 2h, 1d, or 'reply'.", .yellow) }
            act { try mailbox.triage.snooze(number, until: untilReply ? nil : snoozeEnd(text)) } done: { untilReply ? "Snoozed until they write" : "Snoozed" }
        case .review:
            guard text == "k" || text == "o" else { return say("k keeps consent, o records an opt-out.", .yellow) }
            act { _ = try mailbox.consent.resolveReview(number, optOut: text == "o", note: nil) } done: { text == "o" ? "Opted out" : "Kept" }
        case .override(let rule):
            guard var outgoing = pending?.outgoing, let to = pending?.number else { return }
            pending = nil
            outgoing.overrides[rule] = text
            await send(outgoing, to: to)
        case .template:
            await sendTemplate(text, to: number)
        case .search, .reject: break
        }
    }

    /// `30m`, `2h` or `1d` from now; nil for anything else.
    private func snoozeEnd(_ text: String) -> Date? {
        let units: [Character: Double] = ["m": 60, "h": 3600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[$0] }), let value = Double(text.dropLast()), value > 0 else { return nil }
        return mailbox.clock.now().addingTimeInterval(value * unit)
    }

    /// Runs a mailbox operation and says how it went.
    func act<Result>(_ operation: () throws -> Result, done: () -> String) {
        do {
            _ = try operation()
            say(done(), .green)
            reload(force: true)
        } catch {
            say("\(error)", .red)
        }
    }
}
