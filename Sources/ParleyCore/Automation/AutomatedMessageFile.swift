import Foundation

/// Messages other systems sent, from a file their tool exported: CSV with
/// a header, or JSON Lines (one object per line). Fields: `to`, `body`,
/// `time` (ISO 8601 with offset) and `provider_id` are required; `from`,
/// `status` (default `sent`) and `system` are optional. A bad row is
/// reported as `path:line: problem` and nothing is recorded.
public enum AutomatedMessageFile {
    public static func parse(_ data: Data, path: String, system: String, gateway: String,
                             defaultRegion: String) throws(ParleyError) -> [AutomatedMessage] {
        let text = String(decoding: data, as: UTF8.self)
        let rows: [(line: Int, fields: [String: String])]
        if path.lowercased().hasSuffix(".jsonl") || path.lowercased().hasSuffix(".ndjson") {
            rows = try jsonLines(text, path: path)
        } else {
            let records: [CSVReader.Record]
            do { records = try CSVReader.parse(text) } catch { throw .malformed(FormatIssue(path: path, line: nil, problem: "not readable as CSV: \(error)")) }
            let header = records.first?.fields ?? []
            rows = records.dropFirst().map { record in
                (record.line, Dictionary(zip(header, record.fields).map { ($0, $1) }, uniquingKeysWith: { first, _ in first }))
            }
        }
        var messages: [AutomatedMessage] = []
        for (line, fields) in rows {
            messages.append(try message(fields, at: line, path: path, system: system, gateway: gateway, defaultRegion: defaultRegion))
        }
        return messages
    }

    static func jsonLines(_ text: String, path: String) throws(ParleyError) -> [(line: Int, fields: [String: String])] {
        var rows: [(Int, [String: String])] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw .malformed(FormatIssue(path: path, line: index + 1, problem: "not a JSON object"))
            }
            rows.append((index + 1, object.compactMapValues { value in
                (value as? String) ?? (value as? NSNumber)?.stringValue
            }))
        }
        return rows
    }

    /// One row or request as an automated message; a problem names `path:line`.
    public static func message(_ fields: [String: String], at line: Int, path: String, system: String, gateway: String,
                        defaultRegion: String) throws(ParleyError) -> AutomatedMessage {
        func problem(_ text: String) -> ParleyError { .malformed(FormatIssue(path: path, line: line, problem: text)) }
        func required(_ name: String) throws(ParleyError) -> String {
            guard let value = fields[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { throw problem("'\(name)' is required") }
            return value
        }
        let toText = try required("to")
        guard let to = try? PhoneNumber.parse(toText, defaultRegion: defaultRegion) else { throw problem("'\(toText)' is not a phone number") }
        let from = try fields["from"].flatMap { $0.isEmpty ? nil : $0 }.map { text throws(ParleyError) in
            guard let number = try? PhoneNumber.parse(text, defaultRegion: defaultRegion) else { throw problem("'\(text)' is not a phone number") }
            return number
        }
        let timeText = try required("time")
        guard let time = Timestamp.parse(timeText) else { throw problem("'\(timeText)' is not an ISO 8601 time with an offset") }
        let providerID = try required("provider_id")
        guard MessageID.isValid(providerID) else { throw problem("'provider_id' must be 1–64 letters, digits, '_' or '-'") }
        let statusText = fields["status"].flatMap { $0.isEmpty ? nil : $0 } ?? "sent"
        guard let status = DeliveryStatus(rawValue: statusText), status != .received else {
            throw problem("'status' must be one of queued, sent, delivered, undelivered, failed, not '\(statusText)'")
        }
        let name: String
        do { name = try AutomatedMessage.validSystem(fields["system"].flatMap { $0.isEmpty ? nil : $0 } ?? system) } catch {
            throw problem(error.description)
        }
        return AutomatedMessage(to: to, from: from, body: try required("body"), time: time, providerID: providerID, gateway: gateway,
                                status: status, system: name)
    }
}
