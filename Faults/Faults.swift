import Foundation

/// `smsbridge-faults`: the crash and outage suite behind `scripts/faults`. It runs the real `smsbridge serve` binary
/// against a gateway double and the FixMyStreet double, kills it, starves it, and checks that a report sent is a report
/// received, once.
@main
struct FaultsCommand {
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func value(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            defer { arguments.removeSubrange(index...index + 1) }
            return arguments[index + 1]
        }
        guard let executable = value("--executable") else {
            print("usage: smsbridge-faults --executable PATH [--root DIR] [--rounds N] [--residents N] [--enospc-library PATH] [--timeouts]"
                  + " [--postgres URL] [--only crash|gateway|platform|disk|two-instances]...")
            exit(2)
        }
        let options = SuiteOptions(
            executable: URL(fileURLWithPath: executable),
            root: URL(fileURLWithPath: value("--root") ?? FileManager.default.currentDirectoryPath),
            rounds: value("--rounds").flatMap(Int.init) ?? 10,
            residents: value("--residents").flatMap(Int.init) ?? 60,
            enospcLibrary: value("--enospc-library"), timeouts: arguments.contains("--timeouts"),
            postgresURL: value("--postgres").flatMap { $0.isEmpty ? nil : $0 })
        // --only NAME (repeatable) runs those scenarios alone; the two-instance one runs when --postgres names a database.
        var only: Set<String> = []
        while let name = value("--only") { only.insert(name) }
        func runs(_ name: String) -> Bool { only.isEmpty || only.contains(name) }
        let tally = Tally()
        let started = Date()
        do {
            if runs("crash") { try await Scenarios.crashRounds(options, tally: tally) }
            if runs("gateway") { try await Scenarios.gatewayOutage(options, tally: tally) }
            if options.timeouts && runs("gateway") { try await Scenarios.gatewayOutage(options, tally: tally, hanging: true) }
            if runs("platform") { try await Scenarios.platformOutage(options, tally: tally) }
            if runs("disk") { try await Scenarios.fullDisk(options, tally: tally) }
            if options.postgresURL != nil || only.contains("two-instances") { try await Scenarios.twoInstances(options, tally: tally) }
        } catch {
            await tally.check("suite", false, "stopped: \(error)")
        }
        let (lost, duplicateReports, duplicateSMS, failures) = await (tally.lost, tally.duplicateReports, tally.duplicateSMS, tally.failures)
        print(String(format: "faults suite: %d check(s) failed in %.0f s", failures, Date().timeIntervalSince(started)))
        print("lost=\(lost) duplicate_reports=\(duplicateReports) duplicate_sms=\(duplicateSMS)")
        exit(failures == 0 && lost == 0 && duplicateReports == 0 && duplicateSMS == 0 ? 0 : 1)
    }
}
