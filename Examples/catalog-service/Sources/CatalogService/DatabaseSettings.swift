import PostgresNIO

/// Where the catalog's PostgreSQL is and how the service uses it.
public struct DatabaseSettings: Sendable {
    /// A unix socket file (`DIR/.s.PGSQL.PORT`), or a loopback host and port.
    public enum Endpoint: Sendable, Equatable {
        case unixSocket(path: String)
        case tcp(host: String, port: Int)
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    /// The most connections the pool opens.
    public var maximumConnections = 16
    /// How long one statement may wait for a connection and its answer (``ProductStore``).
    public var queryTimeout: Duration = .seconds(2)

    public init(endpoint: Endpoint, username: String, password: String? = nil, database: String) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
    }

    /// The settings libpq's variables describe: `PGHOST` (a socket directory when it starts
    /// with `/`), `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, as `psql` reads them.
    public static func fromEnvironment(_ environment: [String: String]) throws(CatalogSetupError) -> DatabaseSettings {
        let host = environment["PGHOST"] ?? "/var/run/postgresql"
        let portText = environment["PGPORT"] ?? "5432"
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw CatalogSetupError("PGPORT '\(portText)' is not a port number")
        }
        let endpoint: Endpoint = host.hasPrefix("/") ? .unixSocket(path: "\(host)/.s.PGSQL.\(port)") : .tcp(host: host, port: port)
        let user = environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        return DatabaseSettings(endpoint: endpoint, username: user, password: environment["PGPASSWORD"],
                                database: environment["PGDATABASE"] ?? user)
    }

    /// The postgres-nio client configuration (no TLS: the endpoint is local).
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: .disable)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = queryTimeout
        return configuration
    }
}

extension DatabaseSettings {
    /// The configuration of a connection of its own (the invalidation bus's LISTEN connection,
    /// which must not be pooled).
    public var connectionConfiguration: PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: .disable)
        }
        configuration.options.connectTimeout = .init(queryTimeout)
        return configuration
    }
}

/// A setting the service cannot start with, in one sentence.
public struct CatalogSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
