import Foundation

/// Imports consent records from a CSV export (a sign-up form, a booking
/// system): one commit for the whole file, per-row problems with line
/// numbers, and ids derived from each row's content so importing the same
/// file again changes nothing.
public struct ConsentImport: Sendable {
    /// Which columns hold what (header names, case-insensitive).
    public struct Columns: Sendable {
        public var number = "phone"
        public var name: String? = "name"
        public var time: String? = "consented_at"
        public var disclosure: String? = "disclosure"
        public var purpose: String? = "purpose"
        public var source: String? = "source"
        public var ip: String? = "ip"
        public var url: String? = "url"
        public var note: String? = "note"

        public init() {}
    }

    /// Values used when a column is absent or empty.
    public struct Defaults: Sendable {
        public var disclosure: String?
        public var purpose: String?
        public var method: ConsentEvent.Method = .import
        public var source: String?

        public init() {}
    }

    public struct RowProblem: Error, Sendable, Codable, CustomStringConvertible {
        public let line: Int
        public let problem: String
        public var description: String { "line \(line): \(problem)" }
    }

    public struct Report: Sendable, Codable {
        public var rows = 0
        public var imported = 0
        public var alreadyRecorded = 0
        public var duplicatesInFile: [Int] = []
        public var problems: [RowProblem] = []
        public var commit: String?
    }

    /// What each row records: a grant of consent, or an opt-out another system received.
    public enum RowKind: Sendable {
        case grants, optOuts
    }

    public let columns: Columns
    public let defaults: Defaults
    public var rows = RowKind.grants
    public let fileName: String
    /// SHA-256 of the file, kept as evidence on every record.
    public let fileHash: String?

    public init(columns: Columns, defaults: Defaults, fileName: String, fileHash: String?) {
        self.columns = columns
        self.defaults = defaults
        self.fileName = fileName
        self.fileHash = fileHash
    }

    /// Parses every row into a consent event; rows with problems are reported, not imported.
    func events(from text: String, defaultRegion: String, actor: String, now: Date,
        progress: (Int, Int) -> Void) throws(ParleyError) -> ([Int: ConsentEvent], Report) {
        let records: [CSVReader.Record]
        do { records = try CSVReader.parse(text) } catch { throw .invalidInput("\(fileName): \(error)") }
        guard let header = records.first else { throw .invalidInput("\(fileName) is empty: expected a header row naming the columns") }
        let layout = try ColumnLayout(header, columns: columns, defaults: defaults, rows: rows, fileName: fileName)
        var report = Report()
        var events: [Int: ConsentEvent] = [:]
        var seen = Set<String>()
        let rows = records.dropFirst()
        for (position, record) in rows.enumerated() {
            if position % 1000 == 0 { progress(position, rows.count) }
            report.rows += 1
            switch event(from: record, layout: layout, defaultRegion: defaultRegion, actor: actor, now: now) {
            case .failure(let problem):
                report.problems.append(problem)
            case .success(let event):
                if seen.insert(event.id).inserted { events[record.line] = event } else { report.duplicatesInFile.append(record.line) }
            }
        }
        progress(rows.count, rows.count)
        return (events, report)
    }

    /// Where each column is, from the header row; a file without the columns a consent record needs is refused whole.
    struct ColumnLayout {
        let count: Int
        let number: Int
        let name, time, disclosure, purpose, source, ip, url, note: Int?

        init(_ header: CSVReader.Record, columns: Columns, defaults: Defaults, rows: RowKind, fileName: String) throws(ParleyError) {
            let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            func index(_ column: String?) -> Int? { column.flatMap { names.firstIndex(of: $0.lowercased()) } }
            guard let number = index(columns.number) else {
                throw .invalidInput("\(fileName):\(header.line): no '\(columns.number)' column (columns are \(names.joined(separator: ", "))); "
                                    + "name it with --number-column")
            }
            (count, self.number) = (names.count, number)
            (name, time, disclosure, purpose) = (index(columns.name), index(columns.time), index(columns.disclosure), index(columns.purpose))
            (source, ip, url, note) = (index(columns.source), index(columns.ip), index(columns.url), index(columns.note))
            guard rows == .grants else { return }
            if disclosure == nil && defaults.disclosure == nil {
                throw .invalidInput("\(fileName): no '\(columns.disclosure ?? "disclosure")' column and no --disclosure: the consent text as shown "
                    + "must be recorded")
            }
            if purpose == nil && defaults.purpose == nil { throw .invalidInput("\(fileName): no '\(columns.purpose ?? "purpose")' column and no "
                + "--purpose") }
        }
    }

    /// One row's consent event, or what is wrong with the row.
    private func event(from record: CSVReader.Record, layout: ColumnLayout, defaultRegion: String, actor: String,
                       now: Date) -> Result<ConsentEvent, RowProblem> {
        func value(_ index: Int?) -> String? {
            guard let index, index < record.fields.count else { return nil }
            let text = record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        func problem(_ text: String) -> Result<ConsentEvent, RowProblem> { .failure(RowProblem(line: record.line, problem: text)) }
        guard record.fields.count == layout.count else { return problem("\(record.fields.count) fields where the header has \(layout.count)") }
        guard let numberText = value(layout.number) else { return problem("no phone number") }
        let number: PhoneNumber
        do { number = try PhoneNumber.parse(numberText, defaultRegion: defaultRegion) } catch { return problem(error.description) }
        var time = now
        if let timeText = value(layout.time) {
            guard let parsed = Timestamp.parse(timeText) ?? Self.parseDay(timeText) else {
                return problem("'\(timeText)' is not a time: use ISO 8601, e.g. 2026-03-01T10:15:00-06:00")
            }
            guard parsed <= now else { return problem("consent time \(timeText) is in the future") }
            time = parsed
        }
        let source = value(layout.source) ?? defaults.source ?? fileName
        if rows == .optOuts {
            // The same opt-out exported twice is the same record.
            return .success(ConsentEvent(
                id: StableID.make(prefix: "CO", from: [number.e164, value(layout.time) ?? "", source]), kind: .optedOut, time: time, number: number,
                name: value(layout.name), method: .import, source: source, actor: actor, evidenceIP: value(layout.ip), evidenceURL: value(layout.url),
                evidenceFileHash: fileHash, note: value(layout.note)))
        }
        guard let disclosure = value(layout.disclosure) ?? defaults.disclosure, let purpose = value(layout.purpose) ?? defaults.purpose else {
            return problem("no disclosure or purpose")
        }
        return .success(ConsentEvent(
            id: StableID.make(prefix: "CI", from: [number.e164, value(layout.time) ?? "", disclosure, purpose, source]), kind: .granted, time: time,
            number: number, name: value(layout.name), disclosure: disclosure, purpose: purpose, method: defaults.method, source: source,
            actor: actor, evidenceIP: value(layout.ip), evidenceURL: value(layout.url), evidenceFileHash: fileHash))
    }

    /// `2026-03-01` alone means midnight UTC that day.
    private static func parseDay(_ text: String) -> Date? {
        Timestamp.parse(text + "T00:00:00Z")
    }
}

extension ConsentLedger {
    /// Imports a consent CSV as one commit (or checks it with `dryRun`).
    public func importCSV(_ text: String, using importer: ConsentImport, dryRun: Bool,
        progress: (Int, Int) -> Void = { _, _ in }) throws(ParleyError) -> ConsentImport.Report {
        let now = clock.now()
        let parsed = try importer.events(from: text, defaultRegion: config.defaultCountry, actor: agent.handle, now: now, progress: progress)
        let events = parsed.0
        var report = parsed.1
        let commit = try store.commit { snapshot throws(ParleyError) in
            var files: [String: Data?] = [:]
            var imported = 0, already = 0
            var existingIDs: [PhoneNumber: Set<String>] = [:]
            for line in events.keys.sorted() {
                let event = events[line]!
                if existingIDs[event.number] == nil {
                    let names = try snapshot.list(MailboxLayout.consentDirectory(event.number))?.map(\.name) ?? []
                    existingIDs[event.number] = Set(names.compactMap { $0.split(separator: "-", maxSplits: 1).last.map { String($0.dropLast(5)) } })
                }
                if existingIDs[event.number]!.contains(event.id) {
                    already += 1
                    continue
                }
                files[MailboxLayout.consentPath(event.number, time: event.time, id: event.id)] = event.fileData()
                imported += 1
            }
            report.imported = imported
            report.alreadyRecorded = already
            // An opt-out list is taken whole or not at all: a row left out would be a person texted against their wish.
            guard !dryRun, !files.isEmpty, importer.rows == .grants || report.problems.isEmpty else { return nil }
            return change(files, CommitMessage(
                subject: "Import \(imported) \(importer.rows == .optOuts ? "opt-out" : "consent record")\(imported == 1 ? "" : "s") from "
                    + importer.fileName,
                body: "\(report.rows) rows: \(imported) imported, \(already) already recorded, \(report.duplicatesInFile.count) duplicate rows, "
                    + "\(report.problems.count) rows with problems.",
                action: .consentImport, trailers: [(.importFile, importer.fileName)] + (importer.fileHash.map { [(.importSHA256, $0)] } ?? [])))
        }
        report.commit = commit?.id
        return report
    }
}
