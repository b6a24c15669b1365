package ai.continuum.server.federation.coordinator;

import ai.continuum.server.federation.FederationDatabase;
import ai.continuum.server.federation.RequestSignature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The coordinator's state in its own database (SQLite {@code coordinator.db} in its data directory, or PostgreSQL):
 * nodes and their accounts, enrolment tokens, contributions (pseudonym, sealed payload, noisy weight) and seen nonces. Every change is
 * one transaction; contributions are upserts keyed by (pattern, node), so a retried request changes nothing twice.
 * Thread-safe: one connection at a time, used under a lock (the coordinator's traffic is a few requests per node per
 * sync).
 */
public final class CoordinatorStore implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FederationDatabase database;
    private final LongSupplier clockMillis;

    /**
     * Opens the store: PostgreSQL at {@code connectionString} when it is not null, else SQLite in
     * {@code dataDir/coordinator.db}.
     */
    public CoordinatorStore(final Path dataDir, final String connectionString, final LongSupplier clockMillis) {
        this.database = connectionString == null
                ? FederationDatabase.sqlite(
                        dataDir.resolve("coordinator.db"), "db/federation/coordinator", "continuum-coordinator")
                : FederationDatabase.postgres(
                        connectionString, "db/federation/coordinator-postgresql", "continuum-coordinator");
        this.clockMillis = clockMillis;
    }

    /** A member node as the coordinator knows it. */
    public record NodeRecord(
            String nodeId,
            String orgId,
            String publicKey,
            String status,
            long joinedAt,
            long lastSeenAt,
            double contributed,
            double consumed) {}

    /** One contributed pattern: pseudonym, sealed payload, noisy weight. */
    @SuppressWarnings("ArrayRecordComponent") // an opaque payload passed through; never compared or hashed
    public record Contribution(String patternId, byte[] sealed, double weight) {}

    /** What a contribute request changed. */
    public record ContributeResult(int newPatterns, int updatedPatterns, int retracted, double contributedTotal) {}

    /** A released pattern: contributed by {@code organisations} distinct organisations. */
    public record Released(String patternId, int organisations, double weight, List<byte[]> sealed) {}

    /** Mints a single-use enrolment token for {@code orgId}; only its hash is stored. */
    public String mintEnrolment(final String orgId, final long ttlMillis) {
        final byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        final String token = "cfe_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        final long now = clockMillis.getAsLong();
        inTransaction(() -> {
            try (PreparedStatement s = connection()
                    .prepareStatement(
                            "INSERT INTO enrolments (token_hash, org_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, hash(token));
                s.setString(2, orgId);
                s.setLong(3, now);
                s.setLong(4, now + ttlMillis);
                s.executeUpdate();
            }
            return null;
        });
        return token;
    }

    /**
     * Registers a node holding {@code publicKey} with an unused, unexpired token, and spends the token.
     *
     * @return empty when the token is unknown, spent or expired.
     */
    public Optional<NodeRecord> join(final String token, final String publicKey) {
        final long now = clockMillis.getAsLong();
        return inTransaction(() -> {
            final String orgId;
            try (PreparedStatement s = connection()
                    .prepareStatement(
                            "SELECT org_id FROM enrolments WHERE token_hash = ? AND used_by IS NULL AND expires_at > ?")) {
                s.setString(1, hash(token));
                s.setLong(2, now);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<NodeRecord>empty();
                    }
                    orgId = r.getString(1);
                }
            }
            final byte[] id = new byte[10];
            RANDOM.nextBytes(id);
            final String nodeId = "node-" + HexFormat.of().formatHex(id);
            try (PreparedStatement s = connection()
                    .prepareStatement(
                            "INSERT INTO nodes (node_id, org_id, public_key, status, joined_at) VALUES (?, ?, ?, 'active', ?)")) {
                s.setString(1, nodeId);
                s.setString(2, orgId);
                s.setString(3, publicKey);
                s.setLong(4, now);
                s.executeUpdate();
            }
            try (PreparedStatement s =
                    connection().prepareStatement("UPDATE enrolments SET used_by = ? WHERE token_hash = ?")) {
                s.setString(1, nodeId);
                s.setString(2, hash(token));
                s.executeUpdate();
            }
            return Optional.of(new NodeRecord(nodeId, orgId, publicKey, "active", now, 0, 0, 0));
        });
    }

    public Optional<NodeRecord> node(final String nodeId) {
        return inTransaction(() -> {
            try (PreparedStatement s = connection()
                    .prepareStatement(
                            "SELECT node_id, org_id, public_key, status, joined_at, COALESCE(last_seen_at, 0), contributed,"
                                    + " consumed FROM nodes WHERE node_id = ?")) {
                s.setString(1, nodeId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(nodeRecord(r)) : Optional.<NodeRecord>empty();
                }
            }
        });
    }

    public List<NodeRecord> nodes() {
        return inTransaction(() -> {
            final List<NodeRecord> out = new ArrayList<>();
            try (PreparedStatement s = connection()
                            .prepareStatement(
                                    "SELECT node_id, org_id, public_key, status, joined_at, COALESCE(last_seen_at, 0), contributed,"
                                            + " consumed FROM nodes ORDER BY joined_at, node_id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(nodeRecord(r));
                }
            }
            return out;
        });
    }

    /** Marks a node revoked (its requests are refused from now on) and retracts its contributions. */
    public boolean revoke(final String nodeId) {
        return endMembership(nodeId, "revoked");
    }

    /** The node leaves: its contributions are retracted and its requests refused. */
    public boolean leave(final String nodeId) {
        return endMembership(nodeId, "left");
    }

    private boolean endMembership(final String nodeId, final String status) {
        final long now = clockMillis.getAsLong();
        return inTransaction(() -> {
            try (PreparedStatement s = connection().prepareStatement("UPDATE nodes SET status = ? WHERE node_id = ?")) {
                s.setString(1, status);
                s.setString(2, nodeId);
                if (s.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement s = connection()
                    .prepareStatement(
                            "UPDATE contributions SET retracted = 1, sealed = NULL, updated_at = ? WHERE node_id = ?")) {
                s.setLong(1, now);
                s.setString(2, nodeId);
                s.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Records a nonce of a verified request until {@code expiresAtMillis}.
     *
     * @return false when this node already used it: a replay.
     */
    public boolean claimNonce(final String nodeId, final String nonce, final long expiresAtMillis) {
        final long now = clockMillis.getAsLong();
        return inTransaction(() -> {
            try (PreparedStatement s = connection().prepareStatement("DELETE FROM nonces WHERE expires_at < ?")) {
                s.setLong(1, now);
                s.executeUpdate();
            }
            try (PreparedStatement s = connection()
                    .prepareStatement(
                            "INSERT INTO nonces (node_id, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, nodeId);
                s.setString(2, nonce);
                s.setLong(3, expiresAtMillis);
                return s.executeUpdate() == 1;
            }
        });
    }

    /**
     * Upserts the node's contributions and applies its retractions in one transaction. A pattern the node never
     * contributed before earns 1.0 credit; an update, a repeat or a re-contribution after a retraction earns none.
     */
    public ContributeResult contribute(
            final NodeRecord node,
            final String keyId,
            final List<Contribution> patterns,
            final List<String> retractions) {
        final long now = clockMillis.getAsLong();
        return inTransaction(() -> {
            int fresh = 0;
            int updated = 0;
            for (final Contribution c : patterns) {
                final boolean existed;
                try (PreparedStatement s = connection()
                        .prepareStatement("SELECT 1 FROM contributions WHERE pattern_id = ? AND node_id = ?")) {
                    s.setString(1, c.patternId());
                    s.setString(2, node.nodeId());
                    try (ResultSet r = s.executeQuery()) {
                        existed = r.next();
                    }
                }
                try (PreparedStatement s = connection()
                        .prepareStatement(
                                "INSERT INTO contributions (pattern_id, node_id, org_id, key_id, sealed, weight, retracted,"
                                        + " updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (pattern_id, node_id) DO"
                                        + " UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed, weight ="
                                        + " excluded.weight, retracted = 0, updated_at = excluded.updated_at")) {
                    s.setString(1, c.patternId());
                    s.setString(2, node.nodeId());
                    s.setString(3, node.orgId());
                    s.setString(4, keyId);
                    s.setBytes(5, c.sealed());
                    s.setDouble(6, c.weight());
                    s.setLong(7, now);
                    s.executeUpdate();
                }
                if (existed) {
                    updated++;
                } else {
                    fresh++;
                }
            }
            int retracted = 0;
            for (final String patternId : retractions) {
                try (PreparedStatement s = connection()
                        .prepareStatement(
                                "UPDATE contributions SET retracted = 1, sealed = NULL, updated_at = ? WHERE pattern_id = ?"
                                        + " AND node_id = ? AND retracted = 0")) {
                    s.setLong(1, now);
                    s.setString(2, patternId);
                    s.setString(3, node.nodeId());
                    retracted += s.executeUpdate();
                }
            }
            try (PreparedStatement s = connection()
                    .prepareStatement(
                            "UPDATE nodes SET contributed = contributed + ?, last_seen_at = ? WHERE node_id = ?")) {
                s.setDouble(1, fresh);
                s.setLong(2, now);
                s.setString(3, node.nodeId());
                s.executeUpdate();
            }
            return new ContributeResult(fresh, updated, retracted, node.contributed() + fresh);
        });
    }

    /** Counts one consumption (a pull request the gate allowed) and marks the node seen. */
    public void consume(final String nodeId, final double cost) {
        final long now = clockMillis.getAsLong();
        inTransaction(() -> {
            try (PreparedStatement s = connection()
                    .prepareStatement("UPDATE nodes SET consumed = consumed + ?, last_seen_at = ? WHERE node_id = ?")) {
                s.setDouble(1, cost);
                s.setLong(2, now);
                s.setString(3, nodeId);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The patterns under {@code keyId} that at least {@code k} distinct organisations contribute now, in pattern id
     * order after {@code after} (exclusive; empty for the start), at most {@code limit}.
     */
    public List<Released> released(final String keyId, final int k, final String after, final int limit) {
        return inTransaction(() -> {
            final List<Released> out = new ArrayList<>();
            try (PreparedStatement s = connection()
                    .prepareStatement(
                            "SELECT pattern_id, COUNT(DISTINCT org_id), SUM(weight) FROM contributions WHERE retracted = 0"
                                    + " AND key_id = ? AND pattern_id > ? GROUP BY pattern_id HAVING COUNT(DISTINCT org_id)"
                                    + " >= ? ORDER BY pattern_id LIMIT ?")) {
                s.setString(1, keyId);
                s.setString(2, after);
                s.setInt(3, k);
                s.setInt(4, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Released(r.getString(1), r.getInt(2), r.getDouble(3), new ArrayList<>()));
                    }
                }
            }
            for (final Released released : out) {
                try (PreparedStatement s = connection()
                        .prepareStatement(
                                "SELECT sealed FROM contributions WHERE pattern_id = ? AND key_id = ? AND retracted = 0"
                                        + " ORDER BY node_id")) {
                    s.setString(1, released.patternId());
                    s.setString(2, keyId);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            released.sealed().add(r.getBytes(1));
                        }
                    }
                }
            }
            return out;
        });
    }

    /** Counts for the operator and the metrics: live patterns, and those released at {@code k}. */
    public record Totals(long livePatterns, long releasedPatterns, long activeNodes, long organisations) {}

    public Totals totals(final int k) {
        return inTransaction(() -> new Totals(
                count("SELECT COUNT(DISTINCT pattern_id) FROM contributions WHERE retracted = 0", -1),
                count(
                        "SELECT COUNT(*) FROM (SELECT pattern_id FROM contributions WHERE retracted = 0 GROUP BY"
                                + " key_id, pattern_id HAVING COUNT(DISTINCT org_id) >= ?) AS released",
                        k),
                count("SELECT COUNT(*) FROM nodes WHERE status = 'active'", -1),
                count("SELECT COUNT(DISTINCT org_id) FROM nodes WHERE status = 'active'", -1)));
    }

    /** Whether the database answers a query (readiness). */
    public boolean readable() {
        try {
            inTransaction(() -> count("SELECT COUNT(*) FROM nodes", -1));
            return true;
        } catch (final RuntimeException e) {
            return false;
        }
    }

    private long count(final String sql, final int parameter) throws SQLException {
        try (PreparedStatement s = connection().prepareStatement(sql)) {
            if (parameter >= 0) {
                s.setInt(1, parameter);
            }
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    private static NodeRecord nodeRecord(final ResultSet r) throws SQLException {
        return new NodeRecord(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getLong(5),
                r.getLong(6),
                r.getDouble(7),
                r.getDouble(8));
    }

    private static String hash(final String token) {
        return RequestSignature.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    }

    private Connection connection() {
        return database.connection();
    }

    /** Runs {@code work} in one transaction under the lock; a failure rolls it back whole. */
    private <T> T inTransaction(final FederationDatabase.Work<T> work) {
        return database.transaction(work);
    }

    @Override
    public void close() {
        database.close();
    }
}
