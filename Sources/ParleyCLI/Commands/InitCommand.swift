import ArgumentParser
import Foundation
import ParleyCore
import ParleyGitStore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new mailbox repository.",
        discussion: """
            Writes parley.yaml, a .gitignore, the tone guide and the default templates,
            and makes the first commit. Refuses to touch an existing mailbox.

            Examples:
              parley init clinic --business "Bright Smile Dental" --number "+1 312 555 0100"
              parley init --business "Acme Events" --number "020 7946 0958" --country GB --timezone Europe/London
            """)

    @Argument(help: "Folder for the mailbox (created when missing; default: the current folder).") var directory: String?
    @Option(help: "The business name customers see.") var business: String
    @Option(help: "The number messages are sent from.") var number: String
    @Option(help: "Two-letter country for numbers typed without a country code.") var country: String = "US"
    @Option(help: "The business's IANA time zone (default: this machine's).") var timezone: String?
    @Option(help: ArgumentHelp("A folder of templates and tone.md to install instead of the defaults.", valueName: "dir")) var templates: String?

    func validate() throws {
        guard !business.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--business must name the business, e.g. --business \"Bright Smile Dental\"")
        }
    }

    func run() async throws {
        try await reporting {
            let context = try CommandContext()
            let path = directory ?? context.workingDirectory
            let businessNumber: PhoneNumber
            do {
                businessNumber = try PhoneNumber.parse(number, defaultRegion: country)
            } catch {
                throw ParleyError.invalidInput("--number: \(error)")
            }
            let zone = try Contact.validatedTimeZone(timezone ?? context.viewerZone.identifier)
            let skeleton = try templates.map(Self.readSkeleton) ?? DefaultSkeleton.mailboxFiles
            let store = try GitMailboxStore.open(at: path) ?? GitMailboxStore.create(at: path)
            var config = MailboxConfig(businessName: business, businessNumber: businessNumber, defaultCountry: country.uppercased(), timeZone: zone)
            config.retention = .recommended
            _ = try Mailbox.initialize(
                store: store, config: config, skeleton: skeleton, clock: context.clock,
                agent: AgentResolver.resolve(environment: context.environment, store: store))
            context.output.line("Created a Parley mailbox for \(business) in \(store.rootDirectory)")
            context.output.line("  sending from \(businessNumber.formatted), time zone \(zone), \(skeleton.count - 1) templates")
            context.output.line("Next: cd \(path) && parley contact add NUMBER --name NAME, then parley send NUMBER --body TEXT")
        }
    }

    private static func readSkeleton(_ directory: String) throws -> [String: Data] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw ParleyError.invalidInput("--templates: cannot read the folder \(directory)")
        }
        var files: [String: Data] = [:]
        for name in names where name.hasSuffix(".md") || name == ContentWords.path {
            files[name] = FileManager.default.contents(atPath: directory + "/" + name)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + Automation.directory)) ?? [] where name.hasSuffix(".yaml") {
            files[Automation.directory + "/" + name] = FileManager.default.contents(atPath: directory + "/" + Automation.directory + "/" + name)
        }
        guard files[MailboxLayout.toneGuide] != nil else {
            throw ParleyError.invalidInput("--templates: \(directory) has no \(MailboxLayout.toneGuide)")
        }
        return DefaultSkeleton.mailboxFiles(from: files)
    }
}
