/// Rules for message ids that become part of file names. Outbound ids are
/// ULIDs; inbound ones keep the gateway's id (Twilio `SM…`, Kannel UUIDs),
/// which is checked here before it touches a path.
public enum MessageID {
    public static func isValid(_ id: String) -> Bool {
        guard (1...64).contains(id.utf8.count), let first = id.unicodeScalars.first, first.isASCIIAlphanumeric else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "_" || $0 == "-" }
    }

    public static func validated(_ id: String) throws(ParleyError) -> String {
        guard isValid(id) else {
            throw .invalidInput("'\(id)' is not a usable message id: use 1–64 letters, digits, '_' or '-', starting with a letter or digit")
        }
        return id
    }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
