import Metrics
import Prometheus

/// The process's metrics in the Prometheus text format: a registry that swift-metrics writes to
/// (the HTTP server's request metrics, the cache families from `CacheMetricsReporter`, the
/// store's query counters) and that `GET /metrics` reads.
public struct MetricsEndpoint: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics backend over ``registry``.
    public let factory: PrometheusMetricsFactory

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Makes this endpoint the process's swift-metrics backend. Once per process, before any
    /// metric is created (swift-metrics refuses a second bootstrap).
    public func bootstrap() {
        MetricsSystem.bootstrap(factory)
    }

    /// Every metric, in the text exposition format.
    public func exposition() -> String {
        registry.emitToString()
    }
}
