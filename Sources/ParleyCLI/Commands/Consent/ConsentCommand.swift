import ArgumentParser

struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Record, show and import consent: the append-only ledger the send gate checks.",
        subcommands: [ConsentGrantCommand.self, ConsentRevokeCommand.self, ConsentShowCommand.self, ConsentListCommand.self, ConsentExportCommand.self,
            ConsentImportCommand.self]
    )
}
