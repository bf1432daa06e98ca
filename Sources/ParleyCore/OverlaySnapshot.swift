import Foundation

/// A snapshot with uncommitted changes laid over it, so several operations
/// batched into one commit each see the ones before them (two messages
/// from one number in one batch get distinct, ordered ids).
struct OverlaySnapshot: StoreSnapshot {
    let base: any StoreSnapshot
    var pending = PendingChanges()

    var revision: String? { base.revision }

    func read(_ path: String) throws(ParleyError) -> Data? {
        if let change = pending[path] { return change }
        return try base.read(path)
    }

    func list(_ directory: String) throws(ParleyError) -> [StoreEntry]? {
        let changed = pending.paths(under: directory)
        guard !changed.isEmpty else { return try base.list(directory) }
        var entries: [String: StoreEntry] = [:]
        for entry in try base.list(directory) ?? [] { entries[entry.name] = entry }
        let prefixLength = directory.isEmpty ? 0 : directory.count + 1
        for path in changed {
            let rest = path.dropFirst(prefixLength)
            if let slash = rest.firstIndex(of: "/") {
                let name = String(rest[..<slash])
                entries[name] = StoreEntry(name: name, isDirectory: true, contentID: nil)
            } else if pending[path] == .some(nil) {
                entries[String(rest)] = nil
            } else {
                entries[String(rest)] = StoreEntry(name: String(rest), isDirectory: false, contentID: nil)
            }
        }
        if entries.isEmpty { return nil }
        return entries.values.sorted { $0.name < $1.name }
    }

    func contentID(_ path: String) throws(ParleyError) -> String? {
        pending[path] != nil || !pending.paths(under: path).isEmpty ? nil : try base.contentID(path)
    }
}

/// The files a batch has changed so far (`.some(nil)`: deleted), indexed by
/// every folder above them: listing a folder looks at its own changes only,
/// not at every change of the batch.
struct PendingChanges {
    private(set) var files: [String: Data?] = [:]
    private var byFolder: [String: [String]] = [:]

    var isEmpty: Bool { files.isEmpty }

    subscript(path: String) -> Data?? {
        get { files[path] }
        set {
            if files[path] == nil, newValue != nil {
                var folder = Substring(path)
                while let slash = folder.lastIndex(of: "/") {
                    folder = folder[..<slash]
                    byFolder[String(folder), default: []].append(path)
                }
                byFolder["", default: []].append(path)
            }
            files[path] = newValue
        }
    }

    /// The changed paths below `folder` ("" for all), each once.
    func paths(under folder: String) -> [String] {
        var seen = Set<String>()
        return (byFolder[folder] ?? []).filter { files[$0] != nil && seen.insert($0).inserted }
    }
}
