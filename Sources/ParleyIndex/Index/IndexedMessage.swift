import Foundation
import GRDB
import ParleyCore

/// One row of the index's `messages` table, as every reader of it sees it
/// (reports, the evaluation, the audit): read with one column list and one
/// decoder, so a column added to the table is added once here.
struct IndexedMessage: Sendable {
    /// The file name, which starts with the time and carries the id.
    let name, id: String
    /// Seconds since 1970.
    let time: Double
    let inbound: Bool
    let agent, template: String?
    /// The latest status, after every receipt.
    let status: DeliveryStatus
    let errorCode: String?
    let price: Double?
    let priceUnit: String?
    let overrides: [Override]
    /// An inbound STOP or START (a consent record names it).
    let keyword: Bool
    /// Who approved it, when the review policy held it.
    let approvedBy: String?
    /// The business's line: the number it went from, or came in on.
    let line: String?
    let gateway: String?

    var date: Date { Date(timeIntervalSince1970: time) }

    /// The columns `init(_:from:)` reads, in its order, for `SELECT number, \(columns) FROM messages …`.
    static let columns = """
        name, id, time, direction = 'inbound', agent, template, coalesce(status, initial_status), error_code, price, price_unit, overrides, \
        keyword, approved_by, line, gateway
        """

    private static let statuses = Dictionary(uniqueKeysWithValues: DeliveryStatus.allCases.map { ($0.rawValue, $0) })

    /// Reads `columns` from `row`, starting at column `first`.
    init(_ row: Row, from first: Int) {
        let overrides: String = row[first + 10]
        self.init(name: row[first], id: row[first + 1], time: row[first + 2], inbound: row[first + 3], agent: row[first + 4],
                  template: row[first + 5], status: Self.statuses[row[first + 6] as String] ?? .pending, errorCode: row[first + 7],
                  price: row[first + 8], priceUnit: row[first + 9],
                  overrides: overrides.isEmpty ? [] : overrides.components(separatedBy: "\n").compactMap(Override.init(text:)),
                  keyword: row[first + 11], approvedBy: row[first + 12], line: row[first + 13], gateway: row[first + 14])
    }

    init(name: String, id: String, time: Double, inbound: Bool, agent: String?, template: String?, status: DeliveryStatus, errorCode: String?,
         price: Double?, priceUnit: String?, overrides: [Override], keyword: Bool, approvedBy: String?, line: String? = nil,
         gateway: String? = nil) {
        self.name = name
        self.id = id
        self.time = time
        self.inbound = inbound
        self.agent = agent
        self.template = template
        self.status = status
        self.errorCode = errorCode
        self.price = price
        self.priceUnit = priceUnit
        self.overrides = overrides
        self.keyword = keyword
        self.approvedBy = approvedBy
        self.line = line
        self.gateway = gateway
    }
}
