import ArgumentParser
import ParleyCore
import ParleyRendering

struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "List and show reply templates (edit them in templates/ with any editor, then commit).",
        subcommands: [TemplateListCommand.self, TemplateShowCommand.self],
        defaultSubcommand: TemplateListCommand.self,
        aliases: ["templates"]
    )
}

struct TemplateListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the committed templates.",
        discussion: """
            Example:
              parley template list
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Print as JSON.") var json = false

    struct Row: Encodable {
        let name: String
        let description: String?
        let useCase: String?
        let firstContact: Bool
        let variables: [MessageTemplate.Variable]
        let blob: String?
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let templates = try mailbox.templates.all()
            if json {
                context.output.write(JSONOutput.encode(templates.map {
                    Row(name: $0.name, description: $0.description, useCase: $0.useCase, firstContact: $0.firstContact, variables: $0.variables,
                        blob: $0.blobID)
                }))
                return
            }
            if templates.isEmpty { context.output.line("No templates; add Markdown files under templates/ and commit them.") }
            for template in templates {
                let first = template.firstContact ? context.style.paint(" [first contact]", .cyan) : ""
                context.output.line("\(context.style.paint(TextColumns.fit(template.name, 24), .bold)) \(template.description ?? "")\(first)")
            }
        }
    }
}

struct TemplateShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a template, its variables and how it would encode.",
        discussion: """
            Example:
              parley template show appointment-reminder
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The template's name.") var name: String

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let template = try mailbox.templates.template(name)
            let style = context.style
            context.output.line(style.paint(template.name, .bold) + "  " + (template.description ?? ""))
            if let useCase = template.useCase { context.output.line("  use case       \(useCase)") }
            context.output.line("  first contact  \(template.firstContact ? "yes" : "no")")
            context.output.line("  version        \(template.blobID.map { String($0.prefix(12)) } ?? "?")")
            for variable in template.variables {
                let fallback = variable.defaultValue.map { " (default: \($0))" } ?? ""
                context.output.line("  {{\(variable.name)}}  \(variable.description ?? "")\(fallback)")
            }
            context.output.line("")
            context.output.line(template.body)
        }
    }
}
