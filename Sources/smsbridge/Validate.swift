import Foundation
import ArgumentParser
import BridgeCore

extension SMSBridge {
    /// Checks Dialogs/ and Config/ the way start-up does, and shows what every prompt costs.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the dialog and configuration files; print each prompt's encoding and segments.")

        @OptionGroup var options: ConfigOptions

        @Flag(name: .long, help: "Print only problems, not the prompt table.")
        var quiet = false

        func run() throws {
            let (configuration, loadDiagnostics) = ConfigurationLoader.load(options.config)
            var diagnostics = loadDiagnostics
            var costs: [PromptCost] = []
            if let configuration {
                let result = ConfigurationValidator.validate(configuration)
                diagnostics.append(contentsOf: result.diagnostics)
                costs = result.costs
            }
            if !quiet { printTable(costs) }
            let problems = diagnostics.sorted
            for problem in problems { print(problem) }
            if problems.isEmpty {
                print("ok: \(configuration?.deployments.count ?? 0) deployments, every prompt within budget")
            } else {
                print("\(problems.count) problem\(problems.count == 1 ? "" : "s")")
                throw ExitCode(1)
            }
        }

        func printTable(_ costs: [PromptCost]) {
            let deployments = costs.map(\.deployment).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            for deployment in deployments {
                let rows = costs.filter { $0.deployment == deployment }
                let languages = rows.map(\.language).reduce(into: [LanguageTag]()) { if !$0.contains($1) { $0.append($1) } }
                for language in languages {
                    print("\(deployment) \(language)")
                    for sms in rows where sms.language == language && sms.channel == .sms {
                        let ussd = rows.first { $0.language == language && $0.channel == .ussd && $0.text == sms.text }
                        let mark = sms.withinBudget ? " " : "!"
                        let name = sms.text.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)
                        let smsCell = "\(sms.encoding.rawValue) \(sms.units) units, \(sms.segments) segment\(sms.segments == 1 ? "" : "s")"
                            .padding(toLength: 34, withPad: " ", startingAt: 0)
                        let ussdCell = ussd.map { "USSD \($0.segments) screen\($0.segments == 1 ? "" : "s"), largest \($0.units) \($0.encoding.rawValue)" } ?? ""
                        print(" \(mark) \(name) \(smsCell) \(ussdCell)")
                    }
                }
            }
        }
    }
}
