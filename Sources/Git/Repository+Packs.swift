internal import CLibGit2
import Foundation

extension Repository {
    /// Sends every object written from now on to memory, so a commit's
    /// blobs, trees and commit object reach the disk as ONE pack file
    /// (`flushBufferedObjects`) instead of one file each: on slow
    /// filesystems, and with fsync, file creation is what a commit costs.
    /// The corresponding libgit2 function is `git_mempack_new`.
    public func bufferObjectWrites() throws(GitError) {
        guard mempack == nil else { return }
        try withObjectDatabase { odb throws(GitError) in
            var backend: UnsafeMutablePointer<git_odb_backend>?
            try check(git_mempack_new(&backend), "git_mempack_new")
            // Highest priority: writes go to memory; reads fall through to disk. The database owns the backend from here.
            try check(git_odb_add_backend(odb, backend, 1000), "git_odb_add_backend")
            mempack = backend
        }
    }

    func withObjectDatabase<T>(_ body: (OpaquePointer) throws(GitError) -> T) throws(GitError) -> T {
        try withHandle("git_repository_odb", create: { git_repository_odb(&$0, pointer) }, free: git_odb_free, body)
    }

    /// Lends an object's type and bytes, read from the object database (the memory buffer first).
    func withObject<T>(_ id: ObjectID, in odb: OpaquePointer,
                       _ body: (git_object_t, UnsafeRawBufferPointer) throws(GitError) -> T) throws(GitError) -> T {
        var oid = id.raw
        return try withHandle("git_odb_read", create: { git_odb_read(&$0, odb, &oid) }, free: git_odb_object_free) { object throws(GitError) in
            try body(git_odb_object_type(object), UnsafeRawBufferPointer(start: git_odb_object_data(object), count: git_odb_object_size(object)))
        }
    }

    /// Writes `objects` (buffered by this commit) as one pack and index
    /// (`PackWriter`), fsynced when fsync is on, then empties the buffer.
    /// Returns the pack's file name (`pack-….pack`), nil when there was
    /// nothing to write. (`git_mempack_dump` would pack every tree reachable
    /// from a buffered commit—the whole repository—so the pack is built
    /// from the list.) The corresponding libgit2 functions are `git_odb_read` and `git_odb_refresh`.
    @discardableResult
    public func flushBufferedObjects(_ objects: [ObjectID]) throws(GitError) -> String? {
        guard let mempack else { return nil }
        defer { git_mempack_reset(mempack) }
        guard !objects.isEmpty else { return nil }
        // The objects leave the memory buffer now: `writePack(of:)` makes libgit2 see the pack before anyone reads them.
        // A commit's own pack is not deflated (`PackWriter.init`): pack maintenance compresses it when it merges.
        return try writePack(of: objects, compressed: false)
    }

    /// Writes `objects` (each once), read from `source` (this repository
    /// unless told), as one pack and index with `PackWriter`, fsynced when
    /// fsync is on, and tells libgit2 about it. Returns its name.
    @discardableResult
    func writePack(of objects: [ObjectID], readFrom source: Repository? = nil, compressed: Bool = true) throws(GitError) -> String {
        let writer = try (source ?? self).packWriter(of: objects, compressed: compressed)
        return try withObjectDatabase { odb throws(GitError) in
            let name = try writer.write(to: gitDirectory + "objects/pack", durable: LibGit2.isFsyncEnabled)
            try check(git_odb_refresh(odb), "git_odb_refresh")
            return name
        }
    }

    /// `objects` (each once) read from this repository into a pack writer.
    func packWriter(of objects: [ObjectID], compressed: Bool = true) throws(GitError) -> PackWriter {
        var unique = Set<ObjectID>()
        let distinct = objects.filter { unique.insert($0).inserted }
        var writer = PackWriter(count: distinct.count, compressed: compressed)
        try withObjectDatabase { odb throws(GitError) in
            for object in distinct {
                try withObject(object, in: odb) { type, content throws(GitError) in try writer.append(id: object.raw, type: type, content: content) }
            }
        }
        return writer
    }

    /// Writes buffered `objects` as loose object files instead: for a
    /// commit of a handful of objects, cheaper than a pack and its index.
    /// The corresponding libgit2 function is `git_odb_backend_loose`.
    public func flushBufferedObjectsLoose(_ objects: [ObjectID]) throws(GitError) {
        guard let mempack else { return }
        defer { git_mempack_reset(mempack) }
        let fsync: Int32 = LibGit2.isFsyncEnabled ? 1 : 0
        let open = { (backend: inout UnsafeMutablePointer<git_odb_backend>?) in
            git_odb_backend_loose(&backend, self.gitDirectory + "objects", -1, fsync, 0, 0)
        }
        try withHandle("git_odb_backend_loose", create: open, free: parley_backend_free) { backend throws(GitError) in
            try withObjectDatabase { odb throws(GitError) in
                for object in objects {
                    var oid = object.raw
                    try withObject(object, in: odb) { type, content throws(GitError) in
                        try check(parley_backend_write(backend, &oid, content.baseAddress, content.count, type), "git_odb_backend.write")
                    }
                }
            }
        }
    }

    /// The trees on `paths` in `tree` that `base` does not have: the trees a
    /// commit wrote, for `flushBufferedObjects`.
    public func newTrees(in tree: ObjectID, comparedTo base: ObjectID?, along paths: [String]) throws(GitError) -> [ObjectID] {
        var directories: Set<String> = [""]
        for path in paths {
            var parts = path.split(separator: "/").dropLast()
            while !parts.isEmpty {
                directories.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        var found: [ObjectID] = []
        for directory in directories.sorted() {
            let new = directory.isEmpty ? tree : try entry(atPath: directory, inTree: tree)?.id
            guard let new else { continue }
            let old: ObjectID?
            if let base { old = directory.isEmpty ? base : try entry(atPath: directory, inTree: base)?.id } else { old = nil }
            if new != old { found.append(new) }
        }
        return found
    }

    /// Writes the buffered objects reachable from `tips` and not from
    /// `bases` as one pack, then empties the buffer: for rewritten history,
    /// whose new trees and commits are listed as `newObjects` lists them
    /// and kept only if they are in the buffer (a blob or folder the rewrite
    /// left as it was is on disk already). Returns the pack's file name, nil
    /// when nothing was buffered.
    @discardableResult
    public func flushBufferedObjects(reachableFrom tips: [ObjectID], excluding bases: [ObjectID]) throws(GitError) -> String? {
        guard let mempack, let exists = mempack.pointee.exists else { return nil }
        var objects: [ObjectID] = []
        try forEachNewObject(from: tips, hiding: bases) { id, _ in
            var raw = id.raw
            if exists(mempack, &raw) != 0 { objects.append(id) }
        }
        return try flushBufferedObjects(objects)
    }

    /// Drops buffered objects that will not be committed.
    public func discardBufferedObjects() {
        if let mempack { git_mempack_reset(mempack) }
    }

    /// Writes one pack holding every object reachable from `head` but not
    /// from `base` (all of them when `base` is nil), for merging the small
    /// packs commits leave behind, with libgit2's delta search and full
    /// compression. The objects are listed as `newObjects` lists them and
    /// inserted one by one: libgit2's own walk (`git_packbuilder_insert_walk`)
    /// first marks every tree of `base` as known, every folder of the
    /// mailbox, however few commits are merged.
    /// Returns its file name.
    /// The corresponding libgit2 functions are `git_packbuilder_insert` and `git_packbuilder_write`.
    @discardableResult
    public func writePack(reachableFrom head: ObjectID, excluding base: ObjectID?) throws(GitError) -> String? {
        try withHandle("git_packbuilder_new", create: { git_packbuilder_new(&$0, pointer) }, free: git_packbuilder_free) { builder throws(GitError) in
            var inserted: Int32 = 0
            try forEachNewObject(from: [head], hiding: base.map { [$0] } ?? []) { id, path in
                guard inserted == 0 else { return }
                var raw = id.raw
                inserted = path.isEmpty ? git_packbuilder_insert(builder, &raw, nil) : git_packbuilder_insert(builder, &raw, path)
            }
            try check(inserted, "git_packbuilder_insert")
            guard git_packbuilder_object_count(builder) > 0 else { return nil }
            try check(git_packbuilder_write(builder, nil, 0, nil, nil), "git_packbuilder_write")
            return git_packbuilder_name(builder).map { "pack-" + String(cString: $0) + ".pack" }
        }
    }

    /// Writes the objects of the packs `names` as one new pack, whole and
    /// stored as the small packs store them (zlib's stored blocks), without
    /// a delta search: merging a server's small packs costs a read and a
    /// copy, not a compression pass. Deflating them here was most of a
    /// busy server's maintenance at a million messages (its folders of a
    /// thousand ids barely compress); the periodic full merge compresses
    /// them with deltas. A pack that is gone (a person's `git gc` took its
    /// objects) is skipped. Returns the new pack's name, nil when there was
    /// nothing to copy.
    public func concatenatePacks(_ names: [String]) throws(GitError) -> String? {
        let ids = names.flatMap { objectIDs(inPack: $0) }
        return ids.isEmpty ? nil : try writePack(of: ids, compressed: false)
    }

    /// The ids a pack holds, read from its version-2 index (empty when the pack is gone or its index is not version 2).
    func objectIDs(inPack name: String) -> [ObjectID] {
        PackFile.shared(directory: gitDirectory + "objects/pack", name: String(name.dropLast(5)))?.ids ?? []
    }

    /// Deletes a pack and its index. Objects must be in another pack.
    public func removePack(_ name: String) {
        let base = gitDirectory + "objects/pack/" + String(name.dropLast(5))
        for suffix in [".pack", ".idx", ".rev", ".keep"] { unlink(base + suffix) }
    }
}
