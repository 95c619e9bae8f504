import CacheDashboard
import Foundation

/// `cachetop.conf`: where it is, reading it (a broken file is reported, never fatal), and
/// saving the choices made on screen when it asks for that.
struct ConfigFile {
    /// The file read: `--config`, else `$XDG_CONFIG_HOME/cachetop/cachetop.conf`, else
    /// `~/.config/cachetop/cachetop.conf`; nil without a home directory.
    let path: String?
    /// What the file sets; empty when there is none or it was refused.
    let config: DashboardConfig
    /// Why the file was refused (path, line, reason), to show; the program starts with the
    /// defaults then.
    let problem: String?

    static func defaultPath() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let base = environment["XDG_CONFIG_HOME"], !base.isEmpty { return base + "/cachetop/cachetop.conf" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/cachetop/cachetop.conf" }
        return nil
    }

    /// Reads `given` or the default file. A missing default file is no problem; a missing
    /// `--config` file is one.
    static func load(_ given: String?) -> ConfigFile {
        guard let path = given ?? defaultPath() else { return ConfigFile(path: nil, config: DashboardConfig(), problem: nil) }
        guard FileManager.default.fileExists(atPath: path) else {
            let problem = given == nil ? nil : "config \(path): no such file; starting with the defaults"
            return ConfigFile(path: path, config: DashboardConfig(), problem: problem)
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return ConfigFile(path: path, config: DashboardConfig(), problem: "config \(path): cannot be read; starting with the defaults")
        }
        do {
            return ConfigFile(path: path, config: try DashboardConfig.parse(text, path: path), problem: nil)
        } catch {
            return ConfigFile(path: path, config: DashboardConfig(), problem: "\(error); starting with the defaults")
        }
    }

    /// With `save_on_exit = true`: writes the theme and interval chosen on screen back into the
    /// file, keeping its other lines. Returns a problem to report, if any.
    func save(theme: String, interval: Double) -> String? {
        guard config.saveOnExit, let path else { return nil }
        let original = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        do {
            try DashboardConfig.updating(original, theme: theme, interval: interval).write(toFile: path, atomically: true, encoding: .utf8)
            return nil
        } catch {
            return "config \(path): cannot save the settings: \(error.localizedDescription)"
        }
    }
}
