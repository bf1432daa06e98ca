import Foundation

/// `parley outcome import` and `parley appointments import`: what happened
/// to appointments (or deals, or events), or which are booked, according to
/// another system's CSV export, as one commit. Rows with problems are
/// reported with their line numbers and left out; the same file imported
/// again changes nothing; a row whose outcome changed since (a late
/// "no-show" corrected to "attended") rewrites its record.
public struct OutcomeImport: Sendable {
    /// Which columns hold what (header names, case-insensitive).
    public struct Columns: Sendable {
        public var number = "phone"
        public var time = "appointment_at"
        /// Nil: the file books appointments (`AppointmentRecord`) rather than saying how they went.
        public var outcome: String? = "status"

        public init() {}
    }

    /// One row's record: an outcome or an appointment.
    enum Imported {
        case outcome(OutcomeRecord)
        case appointment(AppointmentRecord)

        var id: String {
            switch self {
            case .outcome(let record): record.id
            case .appointment(let record): record.id
            }
        }

        var path: String {
            switch self {
            case .outcome(let record): record.path
            case .appointment(let record): record.path
            }
        }

        func fileData() -> Data {
            switch self {
            case .outcome(let record): record.fileData()
            case .appointment(let record): record.fileData()
            }
        }

        /// Whether the stored file already says the same (an outcome's value; an appointment's existence).
        func isRecorded(by stored: Data) throws(ParleyError) -> Bool {
            switch self {
            case .outcome(let record): try OutcomeRecord.parse(stored, path: record.path).outcome == record.outcome
            case .appointment: true
            }
        }
    }

    public struct Report: Sendable, Codable {
        public var rows = 0
        public var imported = 0
        public var updated = 0
        public var alreadyRecorded = 0
        public var duplicatesInFile: [Int] = []
        public var problems: [ConsentImport.RowProblem] = []
        public var commit: String?
    }

    public let columns: Columns
    /// The use case every row belongs to; its outcomes are the allowed values.
    public let useCase: UseCase
    /// The file's own words for outcomes → the use case's ("No Show" → "no-show");
    /// without an entry a value is lowercased with spaces as dashes.
    public let values: [String: String]
    public let fileName: String

    public init(columns: Columns, useCase: UseCase, values: [String: String], fileName: String) {
        self.columns = columns
        self.useCase = useCase
        self.values = Dictionary(values.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.fileName = fileName
    }

    /// Imports `text` into `mailbox` (with `dryRun`, only says what it would do).
    public func run(_ text: String, on mailbox: Mailbox, dryRun: Bool) throws(ParleyError) -> Report {
        let (records, parsed) = try parse(text, config: mailbox.config, actor: mailbox.agent.handle, now: mailbox.clock.now())
        var report = parsed
        let commit = try mailbox.store.commit { snapshot throws(ParleyError) in
            report = parsed  // a commit that lost a race runs again: count afresh
            var files: [String: Data?] = [:]
            for record in records {
                let existing = try snapshot.read(record.path)
                if let existing, try record.isRecorded(by: existing) { report.alreadyRecorded += 1; continue }
                if existing == nil { report.imported += 1 } else { report.updated += 1 }
                files[record.path] = record.fileData()
            }
            guard !dryRun, !files.isEmpty else { return nil }
            let plural = files.count == 1 ? "" : "s"
            let what = columns.outcome == nil ? "appointment\(plural) (\(useCase.name))" : "\(useCase.name) outcome\(plural)"
            return mailbox.change(files, CommitMessage(
                subject: "Import \(files.count) \(what) from \(fileName)",
                body: "\(report.rows) rows: \(report.imported) imported, \(report.updated) updated, \(report.alreadyRecorded) already recorded, "
                    + "\(report.duplicatesInFile.count) duplicate rows, \(report.problems.count) rows with problems.",
                action: columns.outcome == nil ? .appointmentImport : .outcomeImport, trailers: [(.importFile, fileName)]))
        }
        report.commit = commit?.id
        return report
    }

    /// Every row as a record, or its problem.
    func parse(_ text: String, config: MailboxConfig, actor: String, now: Date) throws(ParleyError) -> ([Imported], Report) {
        let rows: [CSVReader.Record]
        do { rows = try CSVReader.parse(text) } catch { throw .invalidInput("\(fileName): \(error)") }
        guard let header = rows.first else { throw .invalidInput("\(fileName) is empty: expected a header row naming the columns") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [Int] = []
        let wanted = [("--number-column", columns.number), ("--time-column", columns.time)] + (columns.outcome.map { [("--outcome-column", $0)] } ?? [])
        for (option, column) in wanted {
            guard let found = names.firstIndex(of: column.lowercased()) else {
                let known = names.joined(separator: ", ")
                throw .invalidInput("\(fileName):\(header.line): no '\(column)' column (columns are \(known)); name it with \(option)")
            }
            index.append(found)
        }
        var report = Report(), records: [Imported] = [], seen = Set<String>()
        let zone = TimeZone(identifier: config.timeZone) ?? TimeZone(identifier: "UTC")!
        for row in rows.dropFirst() {
            report.rows += 1
            switch record(row, index: index, count: names.count, config: config, zone: zone, actor: actor, now: now) {
            case .failure(let problem): report.problems.append(problem)
            case .success(let record):
                if seen.insert(record.id).inserted { records.append(record) } else { report.duplicatesInFile.append(row.line) }
            }
        }
        return (records, report)
    }

    private func record(_ row: CSVReader.Record, index: [Int], count: Int, config: MailboxConfig, zone: TimeZone, actor: String,
                        now: Date) -> Result<Imported, ConsentImport.RowProblem> {
        func problem(_ text: String) -> Result<Imported, ConsentImport.RowProblem> { .failure(.init(line: row.line, problem: text)) }
        guard row.fields.count == count else { return problem("\(row.fields.count) fields where the header has \(count)") }
        let values = index.map { row.fields[$0].trimmingCharacters(in: .whitespacesAndNewlines) }
        let number: PhoneNumber
        do { number = try PhoneNumber.parse(values[0], defaultRegion: config.defaultCountry) } catch { return problem(error.description) }
        guard let time = Self.time(values[1], zone: zone) else {
            return problem("'\(values[1])' is not a time: use ISO 8601 (2026-03-12T15:30:00-05:00) or 2026-03-12 15:30 in the business's zone")
        }
        guard Timestamp.isPlausibleRecordTime(time,
            now: now.addingTimeInterval(366 * 86_400)) else { return problem("'\(values[1])' is out of range") }
        guard values.count > 2 else {
            return .success(.appointment(AppointmentRecord(number: number, time: time, useCase: useCase.name, source: fileName, importedBy: actor)))
        }
        let outcome = self.values[values[2].lowercased()] ?? values[2].lowercased().replacingOccurrences(of: " ", with: "-")
        guard useCase.outcomes.contains(outcome) else {
            return problem("'\(values[2])' is not an outcome of \(useCase.name) (\(useCase.outcomes.joined(separator: ", "))); "
                + "map it with --value '\(values[2])=OUTCOME'")
        }
        return .success(.outcome(OutcomeRecord(number: number, time: time, useCase: useCase.name, outcome: outcome, source: fileName, importedBy: actor)))
    }

    /// ISO 8601 with an offset, or a wall-clock "YYYY-MM-DD HH:MM[:SS]" (a
    /// space or a T between) in the business's zone, as booking systems export.
    static func time(_ text: String, zone: TimeZone) -> Date? {
        if let time = Timestamp.parse(text) { return time }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let day = BusinessHours.day(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").map { Int($0) }
        guard (2...3).contains(clock.count), let hour = clock[0], let minute = clock[1], (0..<24).contains(hour), (0..<60).contains(minute),
              clock.count == 2 || (clock[2].map { (0..<60).contains($0) } ?? false) else { return nil }
        let local = Double(day) * 86_400 + Double(hour * 3600 + minute * 60 + (clock.count == 3 ? clock[2]! : 0))
        return Date(timeIntervalSince1970: BusinessClock.instant(localSeconds: local, in: zone))
    }
}
