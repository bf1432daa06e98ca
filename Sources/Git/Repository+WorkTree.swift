internal import CLibGit2
import Foundation

extension Repository {
    /// Brings the index and work tree entries of `paths` from the tree
    /// `oldTree` to the tree `newTree` and touches nothing else, so a
    /// person's uncommitted edits elsewhere are neither committed, reverted
    /// nor lost. A file whose content is neither the old nor the new version
    /// is a local edit: it is kept on disk, and its path is among those
    /// returned (sorted). Bare repositories have nothing to update. Files
    /// are written in `temporaryDirectory` (default: beside them) and
    /// renamed into place.
    /// The corresponding libgit2 functions are `git_index_add` and `git_index_write`.
    @discardableResult
    public func syncWorkTree(
        paths: [String], from oldTree: ObjectID?, to newTree: ObjectID, temporaryDirectory: String? = nil
    ) throws(GitError) -> [String] {
        guard let workingDirectory else { return [] }
        return try withIndex { index, stamp throws(GitError) in
            try sync(paths, from: oldTree, to: newTree, in: index, stamp: stamp, workingDirectory: workingDirectory,
                     temporaryDirectory: temporaryDirectory)
        }
    }

    /// The paths among `files` whose work tree file exists and is not the
    /// given blob (nil: the file should not exist): a person's edits, which
    /// a command about to replace or remove those files must not lose.
    /// Files the index knows as clean are not read (see `blobOnDisk`).
    public func editedInWorkTree(_ files: [(path: String, blob: ObjectID?)]) throws(GitError) -> [String] {
        guard let workingDirectory else { return [] }
        return try withIndex { index, stamp throws(GitError) in
            var edited: [String] = []
            for (path, blob) in files {
                if let onDisk = try blobOnDisk(workingDirectory + path, path: path, index: index, stamp: stamp), onDisk != blob {
                    edited.append(path)
                }
            }
            return edited
        }
    }

    /// The repository's index, current with its file, and that file's
    /// modification time taken just before reading it: should another
    /// process write the index in between, the time is older than the
    /// entries, which only makes `blobOnDisk` read more files.
    private func withIndex<T>(_ body: (OpaquePointer, timespec?) throws(GitError) -> T) throws(GitError) -> T {
        let open = { (index: inout OpaquePointer?) in git_repository_index(&index, self.pointer) }
        return try withHandle("git_repository_index", create: open, free: git_index_free) { index throws(GitError) in
            var info = stat()
            let stamp = stat(gitDirectory + "index", &info) == 0 ? info.st_mtim : nil
            // Re-read only when another process changed it since we last did.
            try check(git_index_read(index, 0), "git_index_read")
            return try body(index, stamp)
        }
    }

    /// The blob id of the work tree file `file` (nil when there is no such
    /// file). Like Git, it trusts the index when the file's stat data
    /// matches its entry and the file is older than the index: reading and
    /// hashing millions of files (`parley migrate`) took longer than
    /// removing them. A file written in the same instant as the index, or
    /// anything but a regular file, is read.
    private func blobOnDisk(_ file: String, path: String, index: OpaquePointer, stamp: timespec?) throws(GitError) -> ObjectID? {
        var info = stat()
        guard lstat(file, &info) == 0 else { return nil }
        if let stamp, (info.st_mode & S_IFMT) == S_IFREG, let entry = git_index_get_bypath(index, path, 0)?.pointee,
           (info.st_mtim.tv_sec, info.st_mtim.tv_nsec) < (stamp.tv_sec, stamp.tv_nsec) {
            var current = git_index_entry()
            Self.copyStat(info, into: &current)
            if (current.mtime.seconds, current.mtime.nanoseconds, current.ctime.seconds, current.ctime.nanoseconds)
                == (entry.mtime.seconds, entry.mtime.nanoseconds, entry.ctime.seconds, entry.ctime.nanoseconds),
               (current.ino, current.file_size, current.uid, current.gid) == (entry.ino, entry.file_size, entry.uid, entry.gid) {
                return ObjectID(entry.id)
            }
        }
        return try FileManager.default.contents(atPath: file).map { data throws(GitError) in try Repository.blobID(of: data) }
    }

    private func sync(_ paths: [String], from oldTree: ObjectID?, to newTree: ObjectID, in index: OpaquePointer, stamp: timespec?,
                      workingDirectory: String, temporaryDirectory: String?) throws(GitError) -> [String] {
        var keptLocalEdits: [String] = []
        var emptiedFolders: Set<String> = []
        // libgit2's index is one sorted array and removing an entry shifts
        // everything after it: walked from the end, a removal shifts only
        // the entries already passed, not the rest of the index (`parley
        // migrate` removes millions of entries from the front).
        for path in paths.sorted(by: >) {
            let old = try oldTree.flatMap { tree throws(GitError) in try entry(atPath: path, inTree: tree) }
            let new = try entry(atPath: path, inTree: newTree)
            let file = workingDirectory + path
            let onDisk = try blobOnDisk(file, path: path, index: index, stamp: stamp)
            let untouched = onDisk == nil || onDisk == old?.id || onDisk == new?.id

            if let new, new.kind == .blob {
                if untouched {
                    if onDisk != new.id { try writeFile(file, contents: blobContent(new.id), temporaryDirectory: temporaryDirectory) }
                    try addIndexEntry(index, path: path, blob: new.id, statOf: file)
                } else {
                    try addIndexEntry(index, path: path, blob: new.id, statOf: nil)
                    keptLocalEdits.append(path)
                }
            } else {
                _ = git_index_remove(index, path, 0)
                if !untouched {
                    keptLocalEdits.append(path)
                } else if onDisk != nil {
                    unlink(file)
                    emptiedFolders.insert((file as NSString).deletingLastPathComponent)
                }
            }
        }
        removeIfEmpty(emptiedFolders, upTo: workingDirectory)
        try writeIndex(index)
        return keptLocalEdits.reversed()
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
        if let file, stat(file, &info) == 0 { Self.copyStat(info, into: &entry) }
        let result = path.withCString { cPath in
            entry.path = cPath
            return git_index_add(index, &entry)
        }
        try check(result, "git_index_add")
    }

    /// A file's stat data as the index keeps it (truncated to its widths),
    /// for writing an entry and for comparing a file with one.
    private static func copyStat(_ info: stat, into entry: inout git_index_entry) {
        entry.ctime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_ctim.tv_sec), nanoseconds: UInt32(info.st_ctim.tv_nsec))
        entry.mtime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_mtim.tv_sec), nanoseconds: UInt32(info.st_mtim.tv_nsec))
        entry.dev = UInt32(truncatingIfNeeded: info.st_dev)
        entry.ino = UInt32(truncatingIfNeeded: info.st_ino)
        entry.uid = info.st_uid
        entry.gid = info.st_gid
        entry.file_size = UInt32(truncatingIfNeeded: info.st_size)
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

    /// Removes the folders that files were removed from, and their parents,
    /// when that left them empty. Once per folder, deepest first, rather
    /// than once per file: most tries fail while a folder still has files.
    private func removeIfEmpty(_ folders: Set<String>, upTo root: String) {
        for folder in folders.sorted(by: >) {
            var directory = folder
            while directory.count + 1 > root.count, directory + "/" != root, rmdir(directory) == 0 {
                directory = (directory as NSString).deletingLastPathComponent
            }
        }
    }
}
