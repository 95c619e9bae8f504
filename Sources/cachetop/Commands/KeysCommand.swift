import ArgumentParser
import CacheDashboard

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the key map as the Markdown table README.md shows.")

    func run() {
        print(KeyMap.markdownTable())
    }
}
