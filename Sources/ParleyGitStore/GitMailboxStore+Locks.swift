import Foundation
import Git
import ParleyCore

/// What a writer checks and tidies before it commits: a merge in progress,
/// lock files and temporary files left by a process that died.
extension GitMailboxStore {
    /// After 100 failed compare-and-swaps: either a lock file nobody
    /// releases, or another program rewriting the branch.
    func tipKeptMovingMessage() -> String {
        let branch = (try? withRepository { repository throws(GitError) in try repository.headBranchName() }) ?? nil
        for reference in [branch ?? "HEAD", Self.recordsReference] {
            let lock = gitDirectory + reference + ".lock"
            if FileManager.default.fileExists(atPath: lock) {
                return "cannot move \(reference): \(lock) is held. If no Git command is running, it was left by one that stopped; remove it (rm "
                    + "'\(lock)') and retry"
            }
        }
        return "HEAD kept moving while committing (100 attempts); is another program rewriting this repository?"
    }

    /// Temporary files of a write that was killed: no other Parley writer
    /// can be using them while this process holds the lock.
    func removeLeftoverTemporaryFiles() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory)) ?? [] {
            unlink(temporaryDirectory + name)
        }
    }

    /// A person's unfinished `git merge` owns the index and work tree until
    /// they commit it; Parley waits rather than commit around it.
    func refuseDuringMerge() throws(ParleyError) {
        if FileManager.default.fileExists(atPath: gitDirectory + "MERGE_HEAD") {
            throw .conflict("a merge is in progress in \(rootDirectory): finish it with git (git status, edit the conflicted files, git add, git "
                + "commit), then run parley again")
        }
    }

    /// Removes `index.lock` and reference locks that no live writer can
    /// own: Parley writers are excluded by the process lock, and a person's
    /// `git` holds these for milliseconds, not `staleLockAge` seconds.
    func removeStaleGitLocks() {
        var candidates = [gitDirectory + "index.lock", gitDirectory + "HEAD.lock", gitDirectory + Self.recordsReference + ".lock"]
        if let name = (try? withRepository({ repository throws(GitError) in try repository.headBranchName() })) ?? nil {
            candidates.append(gitDirectory + name + ".lock")
        }
        // A file's age is wall-clock time, whatever PARLEY_NOW pins: the system clock, never a pinned one.
        let now = ParleyClock.system.now()
        for path in candidates {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let modified = attributes[.modificationDate] as? Date, now.timeIntervalSince(modified) > staleLockAge else { continue }
            unlink(path)
            FileHandle.standardError.write(Data("parley: removed \(path), left by a process that stopped while writing\n".utf8))
        }
    }
}
