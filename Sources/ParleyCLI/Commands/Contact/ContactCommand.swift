import ArgumentParser

struct ContactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact",
        abstract: "Add, show, list and edit contacts.",
        subcommands: [ContactAddCommand.self, ContactShowCommand.self, ContactListCommand.self, ContactEditCommand.self,
                      ContactReachableCommand.self],
        aliases: ["contacts"]
    )
}
