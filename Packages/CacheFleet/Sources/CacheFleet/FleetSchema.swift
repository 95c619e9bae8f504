import Logging
import PostgresNIO

/// The tables, functions and view the fleet keeps in the service's own PostgreSQL database.
///
/// - `cachetop_namespace`: one row per namespace with its last invalidation's sequence number.
///   Writers increment it with an `UPDATE` that holds the row lock until their commit, so the
///   committed numbers are gap-free and in commit order.
/// - `cachetop_invalidation`: the log, one row per invalidating statement (`keys` NULL for the
///   whole namespace); kept for the retention the buses prune with.
/// - `cachetop_invalidate(ns, keys, origin)`: what a writer calls *inside its transaction*; it
///   takes the next number, writes the log row and `pg_notify`s channel `cachetop` with a small
///   JSON payload (keys included while the payload stays under 7,000 bytes; above 1,000 keys the
///   statement invalidates the whole namespace). Nothing is announced unless the transaction
///   commits.
/// - `cachetop_stamp(ns)`: the namespace's number as the calling statement's snapshot sees it,
///   the version stamp of a row read in the same statement (on a replica, what it has replayed).
/// - `cachetop_watch(table, ns, key_column)`: installs statement-level triggers (insert, update,
///   delete, truncate) that call it for changes made by hand: one log row per statement.
/// - `cachetop_instance` and the view `cachetop_fleet`: the registry of live instances, one
///   heartbeat row per (process, cache), read by `cachetop fleet`.
///
/// ``install(on:logger:)`` is idempotent and runs in one transaction.
public enum FleetSchema {
    /// The channel every invalidation is announced on (the namespace travels in the payload).
    public static let channel = "cachetop"

    /// The statements ``install(on:logger:)`` runs, in order.
    public static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS cachetop_namespace (
            ns  text PRIMARY KEY,
            seq bigint NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS cachetop_invalidation (
            ns     text NOT NULL,
            seq    bigint NOT NULL,
            keys   text[],
            origin text,
            at     timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (ns, seq)
        )
        """,
        "CREATE INDEX IF NOT EXISTS cachetop_invalidation_at ON cachetop_invalidation (at)",
        """
        CREATE OR REPLACE FUNCTION cachetop_invalidate(p_ns text, p_keys text[], p_origin text DEFAULT NULL)
        RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE
            v_seq bigint;
            v_keys text[] := p_keys;
            v_at numeric := round(extract(epoch FROM clock_timestamp()) * 1000, 3);
            v_payload text;
        BEGIN
            IF p_ns IS NULL OR p_ns = '' THEN
                RAISE EXCEPTION 'cachetop_invalidate: the namespace must not be empty';
            END IF;
            IF v_keys IS NOT NULL AND cardinality(v_keys) = 0 THEN
                RETURN NULL;
            END IF;
            IF cardinality(v_keys) > 1000 OR array_position(v_keys, NULL) IS NOT NULL THEN
                v_keys := NULL;
            END IF;
            INSERT INTO cachetop_namespace AS n (ns, seq) VALUES (p_ns, 1)
                ON CONFLICT (ns) DO UPDATE SET seq = n.seq + 1
                RETURNING n.seq INTO v_seq;
            INSERT INTO cachetop_invalidation (ns, seq, keys, origin) VALUES (p_ns, v_seq, v_keys, p_origin);
            v_payload := json_build_object('ns', p_ns, 'seq', v_seq, 'keys', v_keys, 'at', v_at)::text;
            IF octet_length(v_payload) > 7000 THEN
                v_payload := json_build_object('ns', p_ns, 'seq', v_seq, 'more', true, 'at', v_at)::text;
            END IF;
            PERFORM pg_notify('cachetop', v_payload);
            RETURN v_seq;
        END
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION cachetop_stamp(p_ns text) RETURNS bigint LANGUAGE sql STABLE AS $$
            SELECT coalesce((SELECT seq FROM cachetop_namespace WHERE ns = p_ns), 0)
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION cachetop_invalidate_rows() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            v_keys text[];
            v_new bigint := 0;
            v_old bigint := 0;
            v_origin text := lower(TG_OP) || ':' || TG_TABLE_NAME;
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                PERFORM cachetop_invalidate(TG_ARGV[0], NULL, v_origin);
                RETURN NULL;
            END IF;
            -- Count at most 1,001 rows per side: a statement above 1,000 keys invalidates the
            -- whole namespace without aggregating its keys.
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                SELECT count(*) INTO v_new FROM (SELECT 1 FROM new_rows LIMIT 1001) AS s;
            END IF;
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                SELECT count(*) INTO v_old FROM (SELECT 1 FROM old_rows LIMIT 1001) AS s;
            END IF;
            IF greatest(v_new, v_old) > 1000 THEN
                PERFORM cachetop_invalidate(TG_ARGV[0], NULL, v_origin);
                RETURN NULL;
            ELSIF TG_OP = 'INSERT' THEN
                EXECUTE format('SELECT array_agg(DISTINCT (%I)::text) FROM new_rows', TG_ARGV[1]) INTO v_keys;
            ELSIF TG_OP = 'DELETE' THEN
                EXECUTE format('SELECT array_agg(DISTINCT (%I)::text) FROM old_rows', TG_ARGV[1]) INTO v_keys;
            ELSE
                EXECUTE format('SELECT array_agg(DISTINCT k) FROM (SELECT (%1$I)::text AS k FROM old_rows '
                               'UNION ALL SELECT (%1$I)::text FROM new_rows) r', TG_ARGV[1]) INTO v_keys;
            END IF;
            IF v_keys IS NOT NULL THEN
                PERFORM cachetop_invalidate(TG_ARGV[0], v_keys, v_origin);
            END IF;
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE OR REPLACE FUNCTION cachetop_watch(p_table regclass, p_ns text, p_key_column text)
        RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            EXECUTE format('CREATE OR REPLACE TRIGGER cachetop_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION cachetop_invalidate_rows(%L, %L)', p_table, p_ns, p_key_column);
            EXECUTE format('CREATE OR REPLACE TRIGGER cachetop_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows '
                           'NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cachetop_invalidate_rows(%L, %L)',
                           p_table, p_ns, p_key_column);
            EXECUTE format('CREATE OR REPLACE TRIGGER cachetop_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                           'FOR EACH STATEMENT EXECUTE FUNCTION cachetop_invalidate_rows(%L, %L)', p_table, p_ns, p_key_column);
            EXECUTE format('CREATE OR REPLACE TRIGGER cachetop_truncate AFTER TRUNCATE ON %s '
                           'FOR EACH STATEMENT EXECUTE FUNCTION cachetop_invalidate_rows(%L, %L)', p_table, p_ns, p_key_column);
        END
        $$
        """,
        """
        CREATE TABLE IF NOT EXISTS cachetop_instance (
            instance   uuid NOT NULL,
            cache      text NOT NULL,
            service    text NOT NULL,
            host       text NOT NULL,
            pid        integer NOT NULL,
            endpoint   text,
            started_at timestamptz NOT NULL DEFAULT now(),
            beat_at    timestamptz NOT NULL DEFAULT now(),
            summary    jsonb NOT NULL,
            PRIMARY KEY (instance, cache)
        ) WITH (fillfactor = 50)
        """,
        """
        CREATE OR REPLACE VIEW cachetop_fleet AS
            SELECT instance::text AS instance, cache, service, host, pid, endpoint,
                   round(extract(epoch FROM now() - started_at) * 1000)::bigint AS uptime_ms,
                   round(extract(epoch FROM now() - beat_at) * 1000)::bigint AS beat_age_ms,
                   summary
            FROM cachetop_instance
        """,
    ]

    /// Creates or updates the schema, in one transaction. Safe to run from every instance at
    /// start (an advisory lock serialises concurrent installs).
    public static func install(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(7176730437)", logger: logger)
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// Installs the schema through a pooled client.
    public static func install(on client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { connection in try await install(on: connection, logger: logger) }
    }

    /// Makes `table`'s inserts, updates, deletes and truncations invalidate `namespace`, keyed
    /// by `keyColumn` (as text), through statement-level triggers. Idempotent.
    public static func watch(table: String, namespace: String, keyColumn: String,
                             on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT cachetop_watch(\(table)::regclass, \(namespace), \(keyColumn))", logger: logger)
    }
}
