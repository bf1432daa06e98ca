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

    public struct RowProblem: Sendable, Codable, CustomStringConvertible {
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

    public let columns: Columns
    public let defaults: Defaults
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
    func events(from text: String, defaultRegion: String, actor: String, now: Date, progress: (Int, Int) -> Void) throws(ParleyError) -> ([Int: ConsentEvent], Report) {
        let records: [CSVReader.Record]
        do { records = try CSVReader.parse(text) } catch { throw .invalidInput("\(fileName): \(error)") }
        guard let header = records.first else { throw .invalidInput("\(fileName) is empty: expected a header row naming the columns") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func index(_ column: String?) -> Int? { column.flatMap { names.firstIndex(of: $0.lowercased()) } }
        guard let numberIndex = index(columns.number) else {
            throw .invalidInput("\(fileName):\(header.line): no '\(columns.number)' column (columns are \(names.joined(separator: ", "))); name it with --number-column")
        }
        let nameIndex = index(columns.name), timeIndex = index(columns.time), disclosureIndex = index(columns.disclosure)
        let purposeIndex = index(columns.purpose), sourceIndex = index(columns.source), ipIndex = index(columns.ip), urlIndex = index(columns.url)
        if disclosureIndex == nil && defaults.disclosure == nil {
            throw .invalidInput("\(fileName): no '\(columns.disclosure ?? "disclosure")' column and no --disclosure: the consent text as shown must be recorded")
        }
        if purposeIndex == nil && defaults.purpose == nil {
            throw .invalidInput("\(fileName): no '\(columns.purpose ?? "purpose")' column and no --purpose")
        }

        var report = Report()
        var events: [Int: ConsentEvent] = [:]
        var seen = Set<String>()
        let rows = records.dropFirst()
        for (position, record) in rows.enumerated() {
            if position % 1000 == 0 { progress(position, rows.count) }
            report.rows += 1
            func value(_ index: Int?) -> String? {
                guard let index, index < record.fields.count else { return nil }
                let text = record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
                return text.isEmpty ? nil : text
            }
            guard record.fields.count == names.count else {
                report.problems.append(RowProblem(line: record.line, problem: "\(record.fields.count) fields where the header has \(names.count)"))
                continue
            }
            guard let numberText = value(numberIndex) else {
                report.problems.append(RowProblem(line: record.line, problem: "no phone number"))
                continue
            }
            let number: PhoneNumber
            do { number = try PhoneNumber.parse(numberText, defaultRegion: defaultRegion) } catch {
                report.problems.append(RowProblem(line: record.line, problem: error.description))
                continue
            }
            var time = now
            if let timeText = value(timeIndex) {
                guard let parsed = Timestamp.parse(timeText) ?? Self.parseDay(timeText) else {
                    report.problems.append(RowProblem(line: record.line, problem: "'\(timeText)' is not a time: use ISO 8601, e.g. 2026-03-01T10:15:00-06:00"))
                    continue
                }
                guard parsed <= now else {
                    report.problems.append(RowProblem(line: record.line, problem: "consent time \(timeText) is in the future"))
                    continue
                }
                time = parsed
            }
            guard let disclosure = value(disclosureIndex) ?? defaults.disclosure, let purpose = value(purposeIndex) ?? defaults.purpose else {
                report.problems.append(RowProblem(line: record.line, problem: "no disclosure or purpose"))
                continue
            }
            let source = value(sourceIndex) ?? defaults.source ?? fileName
            let id = StableID.make(prefix: "CI", from: [number.e164, value(timeIndex) ?? "", disclosure, purpose, source])
            guard seen.insert(id).inserted else {
                report.duplicatesInFile.append(record.line)
                continue
            }
            events[record.line] = ConsentEvent(
                id: id, kind: .granted, time: time, number: number, name: value(nameIndex), disclosure: disclosure, purpose: purpose,
                method: defaults.method, source: source, actor: actor, evidenceIP: value(ipIndex), evidenceURL: value(urlIndex),
                evidenceFileHash: fileHash)
        }
        progress(rows.count, rows.count)
        return (events, report)
    }

    /// `2026-03-01` alone means midnight UTC that day.
    private static func parseDay(_ text: String) -> Date? {
        Timestamp.parse(text + "T00:00:00Z")
    }
}

extension Mailbox {
    /// Imports a consent CSV as one commit (or checks it with `dryRun`).
    public func importConsent(_ text: String, using importer: ConsentImport, dryRun: Bool, progress: (Int, Int) -> Void = { _, _ in }) throws(ParleyError) -> ConsentImport.Report {
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
            guard !dryRun, !files.isEmpty else { return nil }
            return change(files, CommitMessage(
                subject: "Import \(imported) consent record\(imported == 1 ? "" : "s") from \(importer.fileName)",
                body: "\(report.rows) rows: \(imported) imported, \(already) already recorded, \(report.duplicatesInFile.count) duplicate rows, \(report.problems.count) rows with problems.",
                trailers: [(.action, "consent-import"), (.importFile, importer.fileName)] + (importer.fileHash.map { [(.importSHA256, $0)] } ?? [])))
        }
        report.commit = commit?.id
        return report
    }
}
