import Foundation
import ParleyCore
@testable import ParleyIndex
import ParleyTestSupport
import Testing

/// The evaluation's statistics against statsmodels' own (PyPI), on
/// generated counts from tiny to large groups and rates near 0 and 1:
/// Newcombe's hybrid score interval for a difference of proportions
/// (`confint_proportions_2indep(method="newcomb")`), the pooled two-sided
/// z-test (`proportions_ztest`) and the groups needed to detect a 23%
/// relative drop (`NormalIndPower.solve_power` with Cohen's h).
@Suite(.enabled(if: Peers.shouldRun(StatisticsLibraries.available), "needs statsmodels and scipy from PyPI (.ci/install-peers.sh installs them)"))
struct StatisticsCheckTests {
    @Test func differencesTestsAndSampleSizesMatchStatsmodels() throws {
        var generator = SeededGenerator(seed: 24)
        var cases: [[Int]] = [[2, 40, 12, 40], [0, 30, 5, 30], [30, 30, 29, 31], [120, 1000, 160, 1000], [1, 5, 0, 7], [50, 50, 0, 50]]
        for _ in 0..<40 {
            let n1 = Int.random(in: 5...2000, using: &generator), n2 = Int.random(in: 5...2000, using: &generator)
            cases.append([Int.random(in: 0...n1, using: &generator), n1, Int.random(in: 0...n2, using: &generator), n2])
        }
        let answers = try StatisticsLibraries.statsmodels(cases)
        for (counts, answer) in zip(cases, answers) {
            let ours = try #require(ProportionComparison(successes: counts[0], of: counts[1], against: counts[2], of: counts[3]))
            #expect(abs(ours.low - answer["low"]!) < 1e-9, "\(counts)")
            #expect(abs(ours.high - answer["high"]!) < 1e-9, "\(counts)")
            if let p = answer["p"], p.isFinite { #expect(abs(ours.pValue - p) < 1e-9, "\(counts)") }
            if let needed = answer["needed"], needed.isFinite {
                #expect(ours.neededPerGroup == Int(needed.rounded(.up)), "\(counts): \(needed)")
            } else {
                #expect(ours.neededPerGroup == nil, "\(counts)")
            }
        }
    }

    /// A generated study: 600 appointments an automation decided on, a tenth held out by the keyed hash, no-shows drawn at
    /// 16% for the texted and 24% for the held out. `parley report evaluation` must find exactly the groups the generator
    /// made, and its difference, interval and test must be statsmodels' own for those counts.
    @Test func theRandomizedHoldoutComparisonMatchesStatsmodelsOnGeneratedData() throws {
        let fixture = try MailboxFixture(.memory)
        let mailbox = try fixture.mailbox()
        let holdout = Holdout(share: 0.1, key: "study-key-0123456789")
        var generator = SeededGenerator(seed: 25)
        var files: [String: Data?] = [:]
        var truth = (texted: [0, 0], heldOut: [0, 0])   // [no-shows, appointments]
        let start = Timestamp.parse("2026-02-02T15:00:00Z")!
        for index in 0..<600 {
            let number = try PhoneNumber.parse("+1312555\(String(format: "%04d", index))")
            let time = start + Double(index % 40) * 86_400 + Double(index / 40) * 900
            let appointment = AppointmentRecord(number: number, time: time, useCase: "appointments", source: "book.csv", importedBy: "dana")
            let heldOut = holdout.holdsOut(number, subject: appointment.id, automation: "confirm")
            let noShow = Double.random(in: 0..<1, using: &generator) < (heldOut ? 0.24 : 0.16)
            let decision = AutomationRecord(kind: heldOut ? .heldOut : .sent, automation: "confirm", number: number, time: time - 86_400,
                                            subject: appointment.id, useCase: "appointments")
            let outcome = OutcomeRecord(number: number, time: time, useCase: "appointments", outcome: noShow ? "no-show" : "attended",
                                        source: "book.csv", importedBy: "dana")
            for (path, data) in [(appointment.path, appointment.fileData()), (decision.path, decision.fileData()), (outcome.path, outcome.fileData())] {
                files[path] = data
            }
            if heldOut { truth.heldOut[0] += noShow ? 1 : 0; truth.heldOut[1] += 1 } else { truth.texted[0] += noShow ? 1 : 0; truth.texted[1] += 1 }
        }
        _ = try mailbox.store.commit { _ in StoreChange(files: files, message: "Generated study", author: mailbox.agent, time: start) }

        let evaluation = try ReportMaker.evaluation(OutcomeEvaluation.Query(), for: mailbox)
        let randomized = try #require(evaluation.randomized.first)
        #expect(evaluation.randomized.count == 1 && randomized.automation == "confirm")
        #expect([randomized.texted.withOutcome, randomized.texted.appointments] == truth.texted)
        #expect([randomized.heldOut.withOutcome, randomized.heldOut.appointments] == truth.heldOut)
        #expect((40...80).contains(truth.heldOut[1]), "the hash held out \(truth.heldOut[1]) of 600")
        let answer = try #require(try StatisticsLibraries.statsmodels([truth.texted + truth.heldOut]).first)
        let difference = try #require(randomized.difference)
        #expect(abs(difference.low - answer["low"]!) < 1e-9 && abs(difference.high - answer["high"]!) < 1e-9)
        #expect(abs(difference.pValue - answer["p"]!) < 1e-9)
        #expect(difference.neededPerGroup == Int(answer["needed"]!.rounded(.up)))
        #expect(randomized.verdict.hasPrefix("Randomized comparison: a no-show rate of "))
        #expect(randomized.verdict.contains("Too few to detect the 23% relative drop"))
    }
}

/// statsmodels and scipy from PyPI, run as a script.
enum StatisticsLibraries {
    static var available: Bool {
        (try? Shell.run("python3", ["-c", "import statsmodels.stats.proportion, statsmodels.stats.power, scipy.stats"]))?.status == 0
    }

    /// For each [x1, n1, x2, n2]: Newcombe's interval, the pooled z-test's p and the per-group size for a 23% relative drop from x2/n2.
    static func statsmodels(_ cases: [[Int]]) throws -> [[String: Double]] {
        let script = """
            import json, math, sys
            import warnings
            warnings.simplefilter("ignore")
            from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest, proportion_effectsize
            from statsmodels.stats.power import NormalIndPower
            out = []
            for x1, n1, x2, n2 in json.load(sys.stdin):
                low, high = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
                answer = {"low": float(low), "high": float(high)}
                if 0 < x1 + x2 < n1 + n2:
                    answer["p"] = float(proportions_ztest([x1, x2], [n1, n2])[1])
                base = x2 / n2
                if 0 < base < 1:
                    h = abs(proportion_effectsize(base, base * 0.77))
                    answer["needed"] = float(NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8, ratio=1, alternative="two-sided"))
                out.append(answer)
            print(json.dumps(out))
            """
        let payload = try JSONSerialization.data(withJSONObject: cases)
        let result = try Shell.run("python3", ["-c", script], input: String(decoding: payload, as: UTF8.self))
        guard result.status == 0, let answers = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Double]] else {
            throw PeerError("the statsmodels script failed: \(result.standardError)")
        }
        return answers
    }
}
