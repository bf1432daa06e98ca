import Foundation
import Git

/// Keeps the one-pack-per-commit writes from piling up. Each commit's
/// pack is logged; every `threshold` packs, the objects of all commits
/// since the last merge are written as one pack, and the small packs are
/// retired. Retired packs are deleted one merge later, so a process that
/// was still reading one (another `parley`, a person's `git log`) is long
/// done with it. `git gc` remains the full clean-up.
/// Runs under the store's process lock.
struct PackMaintenance {
    let directory: String
    var threshold = 48

    private var logPath: String { directory + "packs.log" }
    private var basePath: String { directory + "packs.base" }
    private var retiredPath: String { directory + "packs.retired" }

    func recordNewPack(_ pack: String?, base: ObjectID?, head: ObjectID, in repository: Repository) throws(GitError) {
        guard let pack else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var logged = lines(logPath)
        if logged.isEmpty, let base { write(basePath, [base.hex]) }
        logged.append(pack)
        write(logPath, logged)
        guard logged.count >= threshold else { return }

        let mergeBase = lines(basePath).first.flatMap(ObjectID.init(hex:))
        let merged: String?
        do {
            merged = try repository.writePack(reachableFrom: head, excluding: mergeBase)
        } catch {
            // The recorded base may be gone (history rewritten): merge everything.
            merged = try repository.writePack(reachableFrom: head, excluding: nil)
        }
        for old in lines(retiredPath) where old != merged { repository.removePack(old) }
        write(retiredPath, logged.filter { $0 != merged })
        write(logPath, [])
        write(basePath, [head.hex])
    }

    /// A pack whose commit lost the race for the branch: nothing reaches
    /// it, so the next merge retires it like the others.
    func recordUnreachablePack(_ pack: String?) {
        guard let pack else { return }
        write(logPath, lines(logPath) + [pack])
    }

    private func lines(_ path: String) -> [String] {
        (FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "")
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    private func write(_ path: String, _ lines: [String]) {
        try? Data((lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
