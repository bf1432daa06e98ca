internal import CLibGit2
import Foundation

extension Repository {
    /// What happened to one path when the work tree followed a commit.
    public enum PathSync: Sendable, Equatable {
        /// The file now matches the commit.
        case updated
        /// The file had edits of its own; it was left as it is, the index follows the commit.
        case keptLocalEdits
    }

    /// Brings the index and work tree entries of `paths` from the tree
    /// `oldTree` to the tree `newTree` and touches nothing else, so a
    /// person's uncommitted edits elsewhere are neither committed, reverted
    /// nor lost. A file whose content is neither the old nor the new version
    /// is a local edit: it is kept on disk and reported.
    /// Bare repositories have nothing to update. Files are written in
    /// `temporaryDirectory` (default: beside them) and renamed into place.
    /// The corresponding libgit2 functions are `git_index_add` and `git_index_write`.
    @discardableResult
    public func syncWorkTree(
        paths: [String], from oldTree: ObjectID?, to newTree: ObjectID, temporaryDirectory: String? = nil
    ) throws(GitError) -> [String: PathSync] {
        guard let workingDirectory else { return [:] }
        let open = { (index: inout OpaquePointer?) in git_repository_index(&index, self.pointer) }
        return try withHandle("git_repository_index", create: open, free: git_index_free) { index throws(GitError) in
            try sync(paths, from: oldTree, to: newTree, in: index, workingDirectory: workingDirectory, temporaryDirectory: temporaryDirectory)
        }
    }

    private func sync(_ paths: [String], from oldTree: ObjectID?, to newTree: ObjectID, in index: OpaquePointer, workingDirectory: String,
                      temporaryDirectory: String?) throws(GitError) -> [String: PathSync] {
        // Re-read only when another process changed it since we last did.
        try check(git_index_read(index, 0), "git_index_read")

        var outcome: [String: PathSync] = [:]
        for path in paths {
            let old = try oldTree.flatMap { tree throws(GitError) in try entry(atPath: path, inTree: tree) }
            let new = try entry(atPath: path, inTree: newTree)
            let file = workingDirectory + path
            let onDisk = try FileManager.default.contents(atPath: file).map { data throws(GitError) in try Repository.blobID(of: data) }
            let untouched = onDisk == nil || onDisk == old?.id || onDisk == new?.id

            if let new, new.kind == .blob {
                if untouched {
                    if onDisk != new.id { try writeFile(file, contents: blobContent(new.id), temporaryDirectory: temporaryDirectory) }
                    try addIndexEntry(index, path: path, blob: new.id, statOf: file)
                    outcome[path] = .updated
                } else {
                    try addIndexEntry(index, path: path, blob: new.id, statOf: nil)
                    outcome[path] = .keptLocalEdits
                }
            } else {
                _ = git_index_remove(index, path, 0)
                if untouched {
                    if onDisk != nil { removeFile(file, upTo: workingDirectory) }
                    outcome[path] = .updated
                } else {
                    outcome[path] = .keptLocalEdits
                }
            }
        }
        try writeIndex(index)
        return outcome
    }

    /// Writes the index, waiting briefly when another process (a person's
    /// `git`) holds `index.lock`.
    private func writeIndex(_ index: OpaquePointer) throws(GitError) {
        var attempt = 0
        while true {
            let result = git_index_write(index)
            if result == GIT_ELOCKED.rawValue || (result < 0 && attempt < 50 && FileManager.default.fileExists(atPath: gitDirectory + "index.lock")) {
                attempt += 1
                if attempt > 100 { try check(result, "git_index_write") }
                usleep(20_000)
                continue
            }
            try check(result, "git_index_write")
            return
        }
    }

    /// Adds an index entry for a blob already in the object database. With
    /// `statOf`, the entry carries the file's stat data so `git status`
    /// sees it as clean without re-reading it; without, the entry is marked
    /// as needing a content check, which is how a kept local edit shows.
    private func addIndexEntry(_ index: OpaquePointer, path: String, blob: ObjectID, statOf file: String?) throws(GitError) {
        var entry = git_index_entry()
        entry.mode = GIT_FILEMODE_BLOB.rawValue
        entry.id = blob.raw
        var info = stat()
        if let file, stat(file, &info) == 0 {
            entry.ctime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_ctim.tv_sec), nanoseconds: UInt32(info.st_ctim.tv_nsec))
            entry.mtime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_mtim.tv_sec), nanoseconds: UInt32(info.st_mtim.tv_nsec))
            entry.dev = UInt32(truncatingIfNeeded: info.st_dev)
            entry.ino = UInt32(truncatingIfNeeded: info.st_ino)
            entry.uid = info.st_uid
            entry.gid = info.st_gid
            entry.file_size = UInt32(truncatingIfNeeded: info.st_size)
        }
        let result = path.withCString { cPath in
            entry.path = cPath
            return git_index_add(index, &entry)
        }
        try check(result, "git_index_add")
    }

    /// Writes a work tree file through a temporary file and a rename, so a
    /// crash never leaves half a file behind. The temporary file lives in
    /// `temporaryDirectory` when it is on the same file system, so a kill
    /// leaves no stray file in the work tree.
    private func writeFile(_ file: String, contents: Data, temporaryDirectory: String?) throws(GitError) {
        let directory = (file as NSString).deletingLastPathComponent
        let name = ".parley-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        var temporary = (temporaryDirectory ?? directory + "/") + name
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if let temporaryDirectory { try FileManager.default.createDirectory(atPath: temporaryDirectory, withIntermediateDirectories: true) }
            try contents.write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, file) != 0 {
                guard errno == EXDEV else { throw CocoaError(.fileWriteUnknown) }
                unlink(temporary)
                temporary = directory + "/" + name
                try contents.write(to: URL(fileURLWithPath: temporary))
                guard rename(temporary, file) == 0 else { throw CocoaError(.fileWriteUnknown) }
            }
        } catch {
            unlink(temporary)
            throw GitError(code: .generic, function: "write", message: "cannot write \(file): \(error.localizedDescription)")
        }
    }

    /// Removes a work tree file and then any directories it leaves empty.
    private func removeFile(_ file: String, upTo root: String) {
        unlink(file)
        var directory = (file as NSString).deletingLastPathComponent
        while directory.count + 1 > root.count, directory + "/" != root, rmdir(directory) == 0 {
            directory = (directory as NSString).deletingLastPathComponent
        }
    }
}
