import Foundation
import GRDB
import ParleyCore

/// `parley check`: the mailbox's files as a Git host's CI would check them
/// on every push—each file parses, lives where its contents say it should,
/// ids are unique, nothing looks like a secret—and the derived index
/// agrees with the tree. Every problem is one `path:line: problem`.
public struct MailboxCheck: Sendable {
    public struct Result: Sendable, Codable {
        public var files = 0
        public var conversations = 0
        public var problems: [String] = []
        public var isClean: Bool { problems.isEmpty }
    }

    let snapshot: any StoreSnapshot
    private var result = Result()
    /// Every id's uses, shared by the parts on every thread, to report a second use.
    private let ids: IDUses
    /// This part's conversation (its index in the walk; -1 for what comes before the conversations).
    private let conversation: Int
    /// The ids this part has claimed so far: the order of its next claim.
    private var claims = 0
    /// Messages per conversation in the tree, to compare with the index.
    private(set) var messageCounts: [String: Int] = [:]

    init(snapshot: any StoreSnapshot, ids: IDUses = IDUses(), conversation: Int = -1) {
        self.snapshot = snapshot
        self.ids = ids
        self.conversation = conversation
    }

    /// Checks the files and, unless `index` is nil, the index against them.
    public static func run(_ mailbox: Mailbox, checkIndex: Bool, progress: IndexProgress? = nil) throws(ParleyError) -> Result {
        var check = MailboxCheck(snapshot: try mailbox.store.snapshot())
        try check.walkAll()
        // The automations and their answer words, checked against the templates and use cases as they run.
        do throws(ParleyError) { _ = try mailbox.automations.all(in: check.snapshot) } catch { check.result.problems.append(error.description) }
        if checkIndex {
            // The messages are indexed at the texts' depth: a check in a new clone does not read every receipt for them.
            let indexed = try mailbox.store.sqlIndex().read(at: check.snapshot, details: .texts, progress: progress) { db in
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT number, count(*) FROM messages GROUP BY number").map {
                    ($0[0] as String, $0[1] as Int)
                })
            }
            check.compare(indexed)
        }
        return check.result
    }

    private mutating func walkAll() throws(ParleyError) {
        try checkSecrets("")
        for file in [MailboxLayout.configFile, MailboxLayout.toneGuide] {
            _ = try parsed(file) { data, path throws(ParleyError) in
                file == MailboxLayout.configFile ? try MailboxConfig.parse(data, path: path) as Any : try ToneGuide.parse(data, path: path)
            }
        }
        for entry in try snapshot.list(MailboxLayout.templatesDirectory) ?? [] where !entry.isDirectory && entry.name.hasSuffix(".md") {
            _ = try parsed(MailboxLayout.templatesDirectory + "/" + entry.name) { data, _ throws(ParleyError) in
                try MessageTemplate.parse(data, name: String(entry.name.dropLast(3)), blobID: nil)
            }
        }
        for entry in try snapshot.list(MailboxLayout.outboxDirectory) ?? [] where !entry.isDirectory {
            let path = MailboxLayout.outboxPath(fileName: entry.name)
            if let outbox = try parsed(path, OutboxEntry.parse) { claim(outbox.id, at: path) }
        }
        var folders: [(bucket: String, folder: StoreEntry)] = []
        for bucket in try snapshot.list(MailboxLayout.conversationsDirectory) ?? [] {
            let bucketPath = MailboxLayout.conversationsDirectory + "/" + bucket.name
            guard bucket.isDirectory, bucket.name.count == 2, bucket.name.allSatisfy(\.isASCIIDigit) else {
                problem(bucketPath, "not a conversation bucket (two digits, the number's last two)")
                continue
            }
            folders += try (snapshot.list(bucketPath) ?? []).map { (bucket.name, $0) }
        }
        try checkInParallel(folders)
    }

    /// Parsing is most of the work: the conversations are checked on
    /// several threads (`ParallelReads`, a libgit2 handle each), each into a
    /// part of its own, and the parts joined in order. Ids go into one
    /// shared `IDUses` as they are read, each with its place in the walk, so
    /// the problems, and which copy of an id is named first, come out as one
    /// pass would give them; each second use is reported after the other
    /// problems of its conversation.
    private mutating func checkInParallel(_ folders: [(bucket: String, folder: StoreEntry)]) throws(ParleyError) {
        let readers = folders.count >= ParallelReads.worthwhileFrom ? try snapshot.concurrentReaders(ParallelReads.threads) : [snapshot]
        let ids = ids
        let parts = ParallelReads.map(folders.count, readers: readers) { index, reader in
            Swift.Result { () throws(ParleyError) -> MailboxCheck in
                var part = MailboxCheck(snapshot: reader, ids: ids, conversation: index)
                try part.checkConversation(bucket: folders[index].bucket, folder: folders[index].folder)
                return part
            }
        }
        var duplicates = ids.takeDuplicates()[...]
        reportDuplicates(in: conversation, from: &duplicates)
        for (index, outcome) in parts.enumerated() {
            let part = try outcome.get()
            result.files += part.result.files
            result.conversations += part.result.conversations
            result.problems += part.result.problems
            for (number, count) in part.messageCounts { messageCounts[number, default: 0] += count }
            reportDuplicates(in: index, from: &duplicates)
        }
    }

    /// The second uses of ids in `conversation`: the first of `duplicates`, which are in walk order.
    private mutating func reportDuplicates(in conversation: Int, from duplicates: inout ArraySlice<IDUses.Duplicate>) {
        while let duplicate = duplicates.first, duplicate.place.conversation == conversation {
            problem(duplicate.path, "id \(duplicate.id) is also used by \(duplicate.firstPath)")
            duplicates.removeFirst()
        }
    }

    private mutating func checkConversation(bucket: String, folder: StoreEntry) throws(ParleyError) {
        let path = MailboxLayout.conversationsDirectory + "/" + bucket + "/" + folder.name
        guard folder.isDirectory, let number = PhoneNumber(e164: folder.name) else {
            return problem(path, "not a conversation folder: the name must be a valid E.164 number")
        }
        guard MailboxLayout.conversationDirectory(number) == path else {
            return problem(path, "belongs in \(MailboxLayout.conversationDirectory(number))")
        }
        result.conversations += 1
        // Folders and files are reached by id from the listing above, not walked to from the root again.
        for entry in try snapshot.list(folder, in: MailboxLayout.conversationsDirectory + "/" + bucket) ?? [] {
            let child = entry.path(in: path)
            switch (entry.name, entry.isDirectory) {
            case ("contact.md", false):
                if let contact = try parsed(child, data: snapshot.read(entry, in: path), Contact.parse), contact.number != number {
                    problem(child, "number \(contact.number.e164) does not match its folder")
                }
            case ("messages", true), ("receipts", true), ("events", true), ("consent", true), ("outcomes", true), ("appointments", true),
                 ("automations", true):
                try checkRecords(entry, of: number)
            case ("media", true):
                try checkMedia(entry, of: number)
            default:
                problem(child, "unexpected \(entry.isDirectory ? "folder" : "file") in a conversation")
            }
        }
    }

    private mutating func checkRecords(_ folder: StoreEntry, of number: PhoneNumber) throws(ParleyError) {
        let kind = folder.name, directory = folder.path(in: MailboxLayout.conversationDirectory(number))
        for entry in try snapshot.list(folder, in: MailboxLayout.conversationDirectory(number)) ?? [] {
            let path = entry.path(in: directory)
            guard let (expected, id) = try parsed(path, data: snapshot.read(entry, in: directory), { data, path throws(ParleyError) in
                try RecordShape.expected(kind, data: data, path: path, number: number)
            }) else { continue }
            if let id { claim(id, at: path) }
            if kind == "messages" { messageCounts[number.e164, default: 0] += 1 }
            if expected.path != path { problem(path, expected.problem ?? "its contents say it belongs at \(expected.path)") }
        }
    }

    /// Every media file is named by its own SHA-256 and a kept type's extension.
    private mutating func checkMedia(_ folder: StoreEntry, of number: PhoneNumber) throws(ParleyError) {
        let directory = MailboxLayout.mediaDirectory(number)
        for entry in try snapshot.list(folder, in: MailboxLayout.conversationDirectory(number)) ?? [] {
            let path = entry.path(in: directory)
            guard !entry.isDirectory, MediaPolicy.isStoredFileName(entry.name) else {
                problem(path, "unexpected in media/: files there are named SHA256.EXT with a kept type's extension")
                continue
            }
            if let data = try snapshot.read(entry, in: directory), MessageMedia.hash(data) != String(entry.name.prefix(64)) {
                problem(path, "its contents do not match its name (SHA-256 \(MessageMedia.hash(data)))")
            }
        }
    }

    private mutating func checkSecrets(_ directory: String) throws(ParleyError) {
        for entry in try snapshot.list(directory) ?? [] {
            let path = directory.isEmpty ? entry.name : directory + "/" + entry.name
            if MailboxLayout.isSecretPath(path) {
                problem(path, "looks like a secret (credentials belong outside the repository): remove it and rotate what it held")
            } else if entry.isDirectory, path != MailboxLayout.conversationsDirectory {
                try checkSecrets(path)
            }
        }
    }

    /// The file parsed, nil when it is missing or does not parse (a problem then).
    private mutating func parsed<T>(_ path: String, _ parse: (Data, String) throws(ParleyError) -> T) throws(ParleyError) -> T? {
        try parsed(path, data: snapshot.read(path), parse)
    }

    /// The file `path`, already read, parsed as above.
    private mutating func parsed<T>(_ path: String, data: Data?, _ parse: (Data, String) throws(ParleyError) -> T) throws(ParleyError) -> T? {
        guard let data else { return nil }
        result.files += 1
        do throws(ParleyError) {
            return try parse(data, path)
        } catch {
            result.problems.append(error.description)
            return nil
        }
    }

    private mutating func claim(_ id: String, at path: String) {
        ids.claim(id, at: path, place: IDUses.Place(conversation: conversation, order: claims))
        claims += 1
    }

    private mutating func compare(_ indexed: [String: Int]) {
        for number in Set(indexed.keys).union(messageCounts.keys).sorted() where indexed[number] != messageCounts[number] {
            problem(".git/parley/index.sqlite", "\(number): the index holds \(indexed[number] ?? 0) messages, the tree "
                + "\(messageCounts[number] ?? 0); delete the file and it is rebuilt from Git")
        }
    }

    private mutating func problem(_ path: String, _ text: String) {
        result.problems.append(FormatIssue(path: path, line: nil, problem: text).description)
    }
}
