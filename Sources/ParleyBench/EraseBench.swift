import Foundation

/// `--only erase`: `parley erase` of the year's first customer in a clone
/// of the hub `--reuse` keeps. Every later commit holds that customer's
/// folder, so the whole history is rewritten: the worst case. Measured as
/// a whole process with `/usr/bin/time` (elapsed time and peak memory),
/// then what reached the disk: loose objects and new packs.
struct EraseBench {
    let bench: Bench

    func run(report: (String, String) -> Void) throws {
        let hub = try HistoryBench(bench: bench).packedHub(report: report)
        let clone = bench.root + "/erase-clone"
        try? FileManager.default.removeItem(atPath: clone)
        try bench.shell([bench.parleyBinary, "clone", hub, clone])
        let objects = clone + "/.git/objects"
        let (looseBefore, packsBefore) = try objectFiles(objects)
        let timing = bench.root + "/erase-time.txt"
        try bench.shell(["/usr/bin/time", "-o", timing, "-f", "%e %M", bench.parleyBinary, "erase", bench.number(0).e164,
                         "--reason", "the customer asked to be forgotten", "--yes", "--repo", clone])
        let figures = try String(contentsOfFile: timing, encoding: .utf8).split(separator: " ")
        let seconds = Double(figures.first ?? "") ?? 0, kilobytes = Double(figures.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        let rewritten = try bench.output(["git", "-C", clone, "rev-list", "--count", "mailbox"]).trimmingCharacters(in: .whitespacesAndNewlines)
        report("`parley erase` of the first customer (rewrites the history of \(rewritten) commits)",
               String(format: "%.1f s, %.0f MB peak", seconds, kilobytes / 1024))
        let (looseAfter, packsAfter) = try objectFiles(objects)
        report("what reached the disk", "\(looseAfter - looseBefore) loose objects, \(packsAfter - packsBefore) packs")
    }

    /// How many loose objects and packs are in `objects`.
    private func objectFiles(_ objects: String) throws -> (loose: Int, packs: Int) {
        let files = FileManager.default
        let loose = try files.contentsOfDirectory(atPath: objects).filter { $0.count == 2 }
            .reduce(0) { $0 + (try files.contentsOfDirectory(atPath: objects + "/" + $1).count) }
        return (loose, try files.contentsOfDirectory(atPath: objects + "/pack").filter { $0.hasSuffix(".pack") }.count)
    }
}
