import Foundation
import Git
import ParleyCore
import Synchronization

/// Keeps the one-pack-per-commit writes from piling up. Each commit's
/// pack is logged; every `threshold` packs, the objects of all commits
/// since the last merge are written as one pack, with libgit2's delta
/// search and full compression, and the small packs are retired. Retired
/// packs are deleted one merge later, so a process that was still reading
/// one (another `parley`, a person's `git log`) is long done with it.
/// `git gc` remains the full clean-up.
///
/// A command merges inline, under the store's process lock. A server merges
/// in the background (`inBackground`): the delta search is most of a busy
/// writer's CPU, and webhooks should not wait for it. It then takes the
/// process lock only to read and update the log, and writes the merged pack
/// with its own repository handle (libgit2 handles are not shared between threads).
final class PackMaintenance: Sendable {
    let directory: String
    let gitDirectory: String
    let threshold = 48
    private let background = Atomic<Bool>(false)
    private let merging = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "parley.pack-maintenance", qos: .utility)

    init(gitDirectory: String) {
        self.gitDirectory = gitDirectory
        directory = gitDirectory + "parley/"
    }

    /// Merges later, on a background thread, instead of in the commit that reaches the threshold.
    var inBackground: Bool {
        get { background.load(ordering: .relaxed) }
        set { background.store(newValue, ordering: .relaxed) }
    }

    private var logPath: String { directory + "packs.log" }
    private var basePath: String { directory + "packs.base" }
    private var retiredPath: String { directory + "packs.retired" }

    /// Called under the process lock by the commit that wrote `pack`.
    func recordNewPack(_ pack: String?, base: ObjectID?, head: ObjectID, in repository: Repository) throws(GitError) {
        guard let pack else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var logged = lines(logPath)
        if logged.isEmpty, let base { write(basePath, [base.hex]) }
        logged.append(pack)
        write(logPath, logged)
        guard logged.count >= threshold else { return }
        if !inBackground {
            finish(merging: logged, into: try mergedPack(head: head, in: repository), head: head, in: repository)
        } else if merging.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            let packs = logged
            queue.async { self.mergeInBackground(packs, head: head) }
        }
    }

    /// A pack whose commit lost the race for the branch: nothing reaches
    /// it, so the next merge retires it like the others.
    func recordUnreachablePack(_ pack: String?) {
        guard let pack else { return }
        write(logPath, lines(logPath) + [pack])
    }

    private func mergedPack(head: ObjectID, in repository: Repository) throws(GitError) -> String? {
        let mergeBase = lines(basePath).first.flatMap(ObjectID.init(hex:))
        do {
            return try repository.writePack(reachableFrom: head, excluding: mergeBase)
        } catch {
            // The recorded base may be gone (history rewritten): merge everything.
            return try repository.writePack(reachableFrom: head, excluding: nil)
        }
    }

    /// Retires the merged packs and deletes the ones retired last time; packs logged since stay logged.
    private func finish(merging logged: [String], into merged: String?, head: ObjectID, in repository: Repository) {
        for old in lines(retiredPath) where old != merged { repository.removePack(old) }
        write(retiredPath, logged.filter { $0 != merged })
        write(logPath, lines(logPath).filter { !logged.contains($0) })
        write(basePath, [head.hex])
    }

    private func mergeInBackground(_ logged: [String], head: ObjectID) {
        defer { merging.store(false, ordering: .releasing) }
        // A failed merge leaves the small packs logged: the next commit over the threshold tries again.
        guard let repository = try? Repository.open(at: gitDirectory), let merged = try? mergedPack(head: head, in: repository) else { return }
        guard let lock = try? ProcessLock(path: gitDirectory + "parley.lock") else { return }
        defer { lock.release() }
        finish(merging: logged, into: merged, head: head, in: repository)
    }

    private func lines(_ path: String) -> [String] {
        (FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "")
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    private func write(_ path: String, _ lines: [String]) {
        try? Data((lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
