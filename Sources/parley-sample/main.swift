import Foundation
import ParleySample

// parley-sample MAILBOX OUTCOMES.csv [--seed N] [--conversations N]: adds the
// deterministic sample month to a copy of sample-repo/ (see scripts/sample-mailbox.sh).
var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String, default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let number = Int(arguments[index + 1]) else { return value }
    arguments.removeSubrange(index...(index + 1))
    return number
}
let seed = option("--seed", default: 1), count = option("--conversations", default: 320)
guard arguments.count == 2, !arguments[0].hasPrefix("-") else {
    FileHandle.standardError.write(Data("usage: parley-sample MAILBOX-FOLDER OUTCOMES.csv [--seed N] [--conversations N]\n".utf8))
    exit(64)
}
do {
    var month = SampleMonth(seed: UInt64(seed), conversations: count)
    try month.write(into: arguments[0], outcomesFile: arguments[1])
} catch {
    FileHandle.standardError.write(Data("parley-sample: \(error)\n".utf8))
    exit(1)
}
