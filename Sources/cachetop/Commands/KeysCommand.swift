import ArgumentParser
import CacheDashboard

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the key map as the Markdown table README.md shows.")

    @Flag(help: "The fleet screen's keys (cachetop fleet) instead of the single-instance screen's.") var fleet = false

    func run() {
        print(fleet ? FleetKeyMap.markdownTable() : KeyMap.markdownTable())
    }
}
