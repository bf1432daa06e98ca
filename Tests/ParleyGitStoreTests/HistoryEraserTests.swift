import Foundation
import Git
import ParleyCore
@testable import ParleyGitStore
import ParleyTestSupport
import Testing

/// The eraser walks a commit's tree only along the scope's paths and
/// rebuilds the folders it changed; the tree it writes must be the one
/// Git itself writes when the same paths are removed, byte for byte, or
/// two clones (or two versions of Parley) would disagree on the ids.
@Suite struct HistoryEraserTests {
    let directory = TemporaryDirectory("eraser")

    @Test func theErasedTreeIsTheTreeGitWritesWithoutThosePaths() throws {
        let repository = try Repository.create(at: directory.path)
        let files = [
            "conversations/47/+13125550147/contact.md", "conversations/47/+13125550147/messages/20170306T160000Z-a.md",
            "conversations/47/+13125550247/contact.md", "conversations/47/+13125550247/messages/20170306T160000Z-b.md",
            "conversations/47/+13125550247/messages/20250306T160000Z-c.md", "conversations/42/+13055550142/contact.md",
            "outbox/01.md", "outbox/02.md", "parley.yaml",
        ]
        var updates: [TreeUpdate] = []
        for (index, path) in files.enumerated() {
            let text = path.hasPrefix("outbox/01") ? "to: +13055550142" : "file \(index)"
            updates.append(.upsert(path, blob: try repository.writeBlob(Data(text.utf8))))
        }
        let root = try repository.updatedTree(base: nil, applying: updates)
        // One person's folder, another's whole shard, and an old message inside the first folder (covered by it).
        let removed = ["conversations/47/+13125550147", "conversations/42/+13055550142",
                       "conversations/47/+13125550147/messages/20170306T160000Z-a.md",
                       "conversations/47/+13125550247/messages/20170306T160000Z-b.md"]
        let scope = ErasureScope(paths: removed, needles: ["13055550142"], scrub: [])
        var eraser = HistoryEraser(repository: repository, scope: scope)
        let erased = try eraser.tree(root)

        _ = try Shell.git(["read-tree", root.hex], in: directory.path)
        _ = try Shell.git(["rm", "-r", "--cached", "-q", "conversations/47/+13125550147", "conversations/42",
                           "conversations/47/+13125550247/messages/20170306T160000Z-b.md", "outbox/01.md"], in: directory.path)
        let expected = try Shell.git(["write-tree"], in: directory.path).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(erased.hex == expected)
        #expect(eraser.removed.count == 5, "\(eraser.removed.sorted())")
    }

    @Test func aScrubberReplacesWhatTryingEverySecretWouldReplace() {
        let secrets = ["+13125550147", "Sarah Lee", "Sarah Lee Smith", "+1", "Lee Smith"]
        let scrubber = Scrubber(secrets)
        for text in ["Send message to Sarah Lee Smith (+13125550147)\n\nParley-Number: +13125550147", "nothing here", "",
                     "Lee Smith and Sarah Lee", "+1 and +13125550147+13125550147", "ééé Sarah Lee"] {
            let oneByOne = secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: ErasureScope.replacement) }
            #expect(scrubber.scrubbed(text) == oneByOne, "\(text)")
        }
    }
}
