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
/// in the background (`inBackground`), on its own repository handle
/// (libgit2 handles are not shared between threads), taking the process
/// lock only to update the log. Its merges copy the small packs into one
/// without a delta search or compression (`Repository.concatenatePacks`); every
/// `fullMergeEvery`-th merge is the full one with libgit2's
/// delta search, which is most of a busy server's CPU: webhooks neither
/// wait for it nor pay it on every merge.
final class PackMaintenance: Sendable {
    let directory: String
    let gitDirectory: String
    let threshold = 48
    private let fullMergeEvery = Atomic<Int>(16)
    private let background = Atomic<Bool>(false)
    private let merging = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "parley.pack-maintenance", qos: .utility)

    init(gitDirectory: String) {
        self.gitDirectory = gitDirectory
        directory = gitDirectory + "parley/"
    }

    /// Merges later, on a background thread, instead of in the commit that
    /// reaches the threshold; every `fullMergeEvery`-th merge has the delta search.
    func mergeInBackground(fullMergeEvery merges: Int) {
        fullMergeEvery.store(max(1, merges), ordering: .relaxed)
        background.store(true, ordering: .relaxed)
    }

    private var inBackground: Bool { background.load(ordering: .relaxed) }

    private var logPath: String { directory + "packs.log" }
    private var basePath: String { directory + "packs.base" }
    private var retiredPath: String { directory + "packs.retired" }
    /// Packs a background merge copied the small packs into, since the last full merge.
    private var concatenatedPath: String { directory + "packs.concatenated" }

    /// Called under the process lock by the commit that wrote `pack`.
    func recordNewPack(_ pack: String?, base: ObjectID?, head: ObjectID, in repository: Repository) throws(GitError) {
        guard let pack else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var logged = lines(logPath)
        if logged.isEmpty, let base { write(basePath, [base.hex]) }
        logged.append(pack)
        append(logPath, pack)
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
        append(logPath, pack)
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

    /// After a full merge up to `head`: every small and copied pack since the last one is retired.
    private func finish(merging logged: [String], into merged: String?, head: ObjectID, in repository: Repository) {
        retire(logged + lines(concatenatedPath), keeping: merged, in: repository)
        write(concatenatedPath, [])
        write(basePath, [head.hex])
    }

    /// Retires `packs` (their objects are in `merged` now) and deletes the ones retired last time;
    /// packs logged since stay logged.
    private func retire(_ packs: [String], keeping merged: String?, in repository: Repository) {
        for old in lines(retiredPath) where old != merged { repository.removePack(old) }
        write(retiredPath, packs.filter { $0 != merged })
        write(logPath, lines(logPath).filter { !packs.contains($0) })
    }

    private func mergeInBackground(_ logged: [String], head: ObjectID) {
        defer { merging.store(false, ordering: .releasing) }
        // A failed merge leaves the small packs logged: the next commit over the threshold tries again.
        guard let repository = try? Repository.open(at: gitDirectory) else { return }
        let full = lines(concatenatedPath).count + 1 >= fullMergeEvery.load(ordering: .relaxed)
        let merged: String?
        do {
            merged = full ? try mergedPack(head: head, in: repository) : try repository.concatenatePacks(logged)
        } catch {
            return
        }
        guard let lock = try? ProcessLock(path: gitDirectory + "parley.lock") else { return }
        defer { lock.release() }
        if full {
            finish(merging: logged, into: merged, head: head, in: repository)
        } else {
            retire(logged, keeping: merged, in: repository)
            if let merged { write(concatenatedPath, lines(concatenatedPath) + [merged]) }
        }
    }

    private func lines(_ path: String) -> [String] {
        (FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "")
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// Adds one line at the end. Every commit logs its pack: appending
    /// creates no file, where rewriting the log created a temporary one per
    /// commit, and creating files was a seventh of a busy server's CPU on
    /// ext4. A line cut short by a crash runs into the next one appended,
    /// and that line names no pack: at worst two small packs are left for `git gc`.
    private func append(_ path: String, _ line: String) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }

    private func write(_ path: String, _ lines: [String]) {
        try? Data((lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
