import Foundation

/// A snapshot with uncommitted changes laid over it, so several operations
/// batched into one commit each see the ones before them (two messages
/// from one number in one batch get distinct, ordered ids).
struct OverlaySnapshot: StoreSnapshot {
    let base: any StoreSnapshot
    var pending: [String: Data?] = [:]

    var revision: String? { base.revision }

    func read(_ path: String) throws(ParleyError) -> Data? {
        if let change = pending[path] { return change }
        return try base.read(path)
    }

    func list(_ directory: String) throws(ParleyError) -> [StoreEntry]? {
        var entries: [String: StoreEntry] = [:]
        for entry in try base.list(directory) ?? [] { entries[entry.name] = entry }
        let prefix = directory.isEmpty ? "" : directory + "/"
        var touched = false
        for (path, data) in pending where path.hasPrefix(prefix) {
            touched = true
            let rest = path.dropFirst(prefix.count)
            if let slash = rest.firstIndex(of: "/") {
                let name = String(rest[..<slash])
                entries[name] = StoreEntry(name: name, isDirectory: true, contentID: nil)
            } else if data == nil {
                entries[String(rest)] = nil
            } else {
                entries[String(rest)] = StoreEntry(name: String(rest), isDirectory: false, contentID: nil)
            }
        }
        if entries.isEmpty { return touched ? nil : try base.list(directory) }
        return entries.values.sorted { $0.name < $1.name }
    }

    func contentID(_ path: String) throws(ParleyError) -> String? {
        pending.keys.contains { $0 == path || $0.hasPrefix(path + "/") } ? nil : try base.contentID(path)
    }
}
