import Crypto
import Foundation

/// Numbers nobody may text again—an erased person's—kept as
/// `suppressed/HASH.yaml`, where HASH is HMAC-SHA256 of the E.164 number
/// under the mailbox's random key (`suppressed/hash-key`). The file never
/// holds the number. The key sits beside the entries so every clone can
/// check a send; it defeats a table of hashes built once for all mailboxes,
/// not someone holding this repository who guesses a number and tests it
/// (docs/DATA.md says so).
public enum SuppressionList {
    public static let keyPath = MailboxLayout.suppressedDirectory + "/hash-key"

    public struct Entry: Equatable, Sendable {
        public let hash: String
        public let since: Date
        public let erasure: String
    }

    /// The mailbox's key, or a new one (with the file to commit) when it has none yet.
    public static func key(in snapshot: any StoreSnapshot) throws(ParleyError) -> (key: Data, newFile: Data?) {
        if let key = try storedKey(in: snapshot) { return (key, nil) }
        let key = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
        return (key, Data((key.hexString + "\n").utf8))
    }

    private static func storedKey(in snapshot: any StoreSnapshot) throws(ParleyError) -> Data? {
        try snapshot.read(keyPath).flatMap { Data(hex: String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    public static func hash(_ number: PhoneNumber, key: Data) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(number.e164.utf8), using: SymmetricKey(data: key))).hexString
    }

    public static func path(hash: String) -> String { "\(MailboxLayout.suppressedDirectory)/\(hash).yaml" }

    public static func fileData(_ entry: Entry) -> Data {
        var yaml = YAMLWriter()
        yaml.field("hash", entry.hash)
        yaml.field("since", entry.since)
        yaml.field("erasure", entry.erasure)
        return Data(yaml.text.utf8)
    }

    /// The entry that forbids texting `number`, nil when there is none.
    public static func entry(for number: PhoneNumber, in snapshot: any StoreSnapshot) throws(ParleyError) -> Entry? {
        guard let key = try storedKey(in: snapshot) else { return nil }
        let hash = hash(number, key: key)
        guard let data = try snapshot.read(path(hash: hash)) else { return nil }
        let fields = try YAMLFields.parseMapping(data, path: path(hash: hash))
        return Entry(hash: hash, since: try fields.date("since"), erasure: try fields.string("erasure"))
    }

    /// The refusal a send to a suppressed number gets, nil when it may go.
    static func refusal(for number: PhoneNumber, in snapshot: any StoreSnapshot) throws(ParleyError) -> ParleyError? {
        guard let entry = try entry(for: number, in: snapshot) else { return nil }
        return .refused("refused: \(number.e164) was erased from this mailbox on \(Timestamp.format(entry.since)) (erasure \(entry.erasure)), "
            + "and an erased number may not be texted again: its history, consent and contact are gone; nothing was sent or recorded")
    }
}

extension Data {
    init?(hex: String) {
        guard hex.count % 2 == 0, !hex.isEmpty else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
