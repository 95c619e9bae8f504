import Testing

/// Every test of the catalog service runs against the one PostgreSQL cluster, and some stop it:
/// they run one at a time.
@Suite(.serialized) enum CatalogTests {}
