/// The engine's release version: printed by `cachetop --version` and carried in every snapshot
/// (`engine_version`), so an operator attached to a process can tell which engine it runs.
/// Semantic versioning; pre-1.0, a minor version may break the public API.
public enum CacheEngineVersion {
    /// This build's version.
    public static let current = "0.5.0"
}
