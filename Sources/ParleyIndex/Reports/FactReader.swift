import Foundation
import ParleyCore

/// Reads what `FactCoding.encode` wrote, checking every length against the
/// bytes left: a damaged blob is an error (the index is then rebuilt), never
/// a trap.
struct FactReader {
    struct Damaged: Error {}

    let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private var strings: [String] = []

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func read(number: String, into facts: inout ReportFacts) throws {
        for _ in 0..<Int(try integer(UInt16.self)) {
            let length = Int(try integer(UInt16.self))
            guard offset + length <= bytes.count else { throw Damaged() }
            strings.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self))
            offset += length
        }
        let statuses = DeliveryStatus.allCases
        for _ in 0..<Int(try integer(UInt32.self)) {
            let time = try double(), flags = try integer(UInt8.self), status = Int(try integer(UInt8.self))
            let agent = try string(), template = try string(), errorCode = try string(), priceUnit = try string(), useCase = try string()
            let price = flags & 8 != 0 ? try double() : nil
            var overrides: [Override] = []
            for _ in 0..<Int(try integer(UInt8.self)) { if let text = try string(), let override = Override(text: text) { overrides.append(override) } }
            facts.messages.append(ReportFacts.MessageFact(
                number: number, time: time, inbound: flags & 1 != 0, agent: agent ?? "", template: template,
                status: statuses.indices.contains(status) ? statuses[status] : .pending, errorCode: errorCode, price: price, priceUnit: priceUnit,
                overrides: overrides, automatic: flags & 2 != 0, useCase: useCase, replied: flags & 4 != 0))
        }
        for _ in 0..<Int(try integer(UInt32.self)) {
            let start = try double(), end = try double(), flags = try integer(UInt8.self)
            facts.waits.append(ReportFacts.WaitFact(number: number, start: start, end: end, first: flags & 1 != 0, answered: flags & 2 != 0,
                                                    responder: try string(), template: try string(), useCase: try string()))
        }
        for _ in 0..<Int(try integer(UInt32.self)) {
            let start = try double(), end = try double()
            var episode = ReportFacts.EpisodeFact(number: number, start: start, end: end.isNaN ? nil : end, useCase: try string(),
                                                  outcome: try string(), agent: try string() ?? "", template: try string())
            for _ in 0..<Int(try integer(UInt32.self)) { episode.waits.append((try double(), try double())) }
            facts.episodes.append(episode)
        }
        for _ in 0..<Int(try integer(UInt32.self)) {
            let time = try double(), optOut = try integer(UInt8.self) != 0
            facts.reactions.append(ReportFacts.ReactionFact(number: number, time: time, optOut: optOut, template: try string(), agent: try string(),
                                                            useCase: try string()))
        }
        guard offset == bytes.count else { throw Damaged() }
    }

    private mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { throw Damaged() }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    private mutating func double() throws -> Double { Double(bitPattern: try integer(UInt64.self)) }

    private mutating func string() throws -> String? {
        let index = try integer(UInt16.self)
        if index == UInt16.max { return nil }
        guard Int(index) < strings.count else { throw Damaged() }
        return strings[Int(index)]
    }
}
