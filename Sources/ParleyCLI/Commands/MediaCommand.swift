import ArgumentParser
import Foundation
import ParleyCore
import ParleyRendering

struct MediaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media",
        abstract: "List, save or open the pictures and files sent in a conversation (MMS).",
        discussion: """
            Media are stored beside the conversation's records, named by their SHA-256
            (docs/FORMAT.md). An item a message lists as "not stored" (too big, a type
            Parley does not keep, a failed download) cannot be opened.

            Examples:
              parley media list "(312) 555-0147"
              parley media open "(312) 555-0147" IMG_0042.jpg
              parley media open "(312) 555-0147" 9f86d081 --save ~/Desktop/crown.jpg
            """,
        subcommands: [MediaListCommand.self, MediaOpenCommand.self],
        defaultSubcommand: MediaListCommand.self
    )
}

/// One stored or skipped item with the message it came with.
struct MediaItemJSON: Encodable {
    let messageID: String
    let time: Date
    let direction: Direction
    let media: MessageMedia
    let path: String?
}

extension MediaItemJSON {
    /// Every media item of the conversation with `number`, oldest first.
    static func all(of number: PhoneNumber, in mailbox: Mailbox) throws(ParleyError) -> [MediaItemJSON] {
        try mailbox.conversations.conversation(number).messages.flatMap { message in
            message.media.map { MediaItemJSON(messageID: message.id, time: message.time, direction: message.direction, media: $0,
                                              path: $0.path(for: number)) }
        }
    }
}

struct MediaListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a conversation's media with their names, types and sizes.",
        discussion: """
            Example:
              parley media list +13125550147 --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let items = try MediaItemJSON.all(of: customer.number(in: mailbox), in: mailbox)
            if json { return context.output.write(JSONOutput.encode(items)) }
            if items.isEmpty { return context.output.line(context.style.paint("No media in this conversation.", .dim)) }
            for item in items {
                let hash = item.media.sha256.map { String($0.prefix(8)) } ?? "--------"
                context.output.line("\(hash)  \(Timestamp.format(item.time))  \(item.direction.rawValue)  \(ThreadRenderer.describe(item.media))")
            }
        }
    }
}

struct MediaOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open a conversation's picture or file (or save it with --save).",
        discussion: """
            ITEM is the file's name as listed, or the start of its SHA-256 (8 characters
            are plenty). The file is written to a private temporary folder and opened with
            $PARLEY_OPENER, else xdg-open; --save writes it where you say instead.

            Examples:
              parley media open +13125550147 IMG_0042.jpg
              parley media open +13125550147 9f86d081 --save crown.jpg
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Argument(help: "The item: its name, or the start of its SHA-256.") var item: String
    @Option(help: ArgumentHelp("Write the file here instead of opening it.", valueName: "path")) var save: String?

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let number = try customer.number(in: mailbox)
            let matches = try MediaItemJSON.all(of: number, in: mailbox).filter {
                $0.media.name == item || (item.count >= 4 && $0.media.sha256?.hasPrefix(item.lowercased()) == true)
            }
            let stored = Dictionary(matches.compactMap { item in item.path.map { ($0, item) } }, uniquingKeysWith: { first, _ in first })
            guard let (path, found) = stored.first, stored.count == 1 else {
                if matches.contains(where: { $0.media.skipped != nil }) {
                    throw ParleyError.notFound("'\(item)' was not stored: \(matches.compactMap(\.media.skipped).joined(separator: "; "))")
                }
                throw ParleyError.notFound(stored.isEmpty ? "no media named or hashed '\(item)' in this conversation; see parley media list"
                    : "'\(item)' matches \(stored.count) files; give more of the hash")
            }
            guard let data = try mailbox.store.snapshot().read(path) else { throw ParleyError.notFound("\(path) is not in the repository") }
            let destination = try save ?? Self.privateCopyPath(name: found.media.name)
            guard FileManager.default.createFile(atPath: destination, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw ParleyError.storage("cannot write \(destination)")
            }
            if save != nil { return context.output.line("saved \(found.media.name) (\(data.count) bytes) to \(destination)") }
            let opener = context.environment["PARLEY_OPENER"].flatMap { $0.isEmpty ? nil : $0 } ?? "xdg-open"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [opener, destination]
            do { try process.run() } catch {
                throw ParleyError.notFound("cannot run \(opener) (\(error)); the file is at \(destination)")
            }
            process.waitUntilExit()
            context.output.line("opened \(found.media.name) with \(opener): \(destination)")
        }
    }

    /// A file in a fresh folder only the user can read: a customer's photo is not for other accounts on the machine.
    static func privateCopyPath(name: String) throws(ParleyError) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-media-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .storage("cannot create \(folder): \(error)")
        }
        return folder + "/" + name
    }
}
