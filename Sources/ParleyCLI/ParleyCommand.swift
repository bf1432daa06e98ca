import ArgumentParser

/// The `parley` command: a business SMS mailbox kept in a Git repository.
public struct ParleyCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A business SMS mailbox whose store is a plain Git repository.",
        discussion: """
            Every send, receive and change is a Git commit; review with git log, edit
            templates in any editor, share the mailbox through any Git remote.

            Start with:
              parley init clinic --business "Bright Smile Dental" --number "+1 312 555 0100"
              cd clinic && parley send "(312) 555-0147" --body "Hi! - Bright Smile Dental"
              parley inbox
            """,
        version: ParleyVersion.string,
        subcommands: [
            InitCommand.self, ContactCommand.self, ConsentCommand.self, TemplateCommand.self, DraftCommand.self, LintCommand.self,
            SendCommand.self, LineCommand.self, CampaignCommand.self, ApprovalsCommand.self, ApproveCommand.self, RejectCommand.self, OutboxCommand.self, ReceiveCommand.self, ReviewCommand.self, ThreadCommand.self,
            InboxCommand.self, TUICommand.self, AssignCommand.self, TagCommand.self, NoteCommand.self, SnoozeCommand.self, WakeCommand.self, CloseCommand.self,
            ReopenCommand.self, UseCaseCommand.self,
                ReportCommand.self, OutcomeCommand.self, AppointmentsCommand.self, AutomationsCommand.self, LogCommand.self,
            AuditCommand.self, CheckCommand.self, EraseCommand.self, RetentionCommand.self,
            MediaCommand.self, ServeCommand.self, GatewayCommand.self, SyncCommand.self, CloneCommand.self, MigrateCommand.self,
            SearchCommand.self, ImportCommand.self,
        ]
    )

    public init() {}

    /// Parses the process arguments and runs the chosen command. (Overload
    /// resolution picks ArgumentParser's synchronous `main` from a plain
    /// `main.swift`, which cannot run asynchronous subcommands.)
    public static func entrypoint(_ arguments: [String]? = nil) async {
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

public enum ParleyVersion {
    public static let string = "0.1.0"
}
