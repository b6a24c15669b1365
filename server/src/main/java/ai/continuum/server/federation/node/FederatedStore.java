package ai.continuum.server.federation.node;

import ai.continuum.server.storage.StorageUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A node's federation state in the {@code federation_*} tables of the main database (migration V10), apart from the
 * tenants' knowledge: the node's identity, the patterns it contributed (so the next sync can retract those that are
 * gone), the patterns pulled from the federation, and the sync lease. Every process on the database (the replicas of
 * one deployment on PostgreSQL) shares them, so the deployment is one node.
 *
 * <h2>The sync lease</h2>
 * One process syncs at a time: it holds the lease ({@link #tryLease}) until it releases it or until the lease expires
 * (so a process killed mid-sync holds it no longer than its time to live). Every write of a sync ({@link #acknowledge},
 * {@link #replaceFederated}, {@link #saveIdentity}, {@link #clear}) checks, in its own transaction, that the writer
 * still holds the lease, and fails with {@link LeaseLostException} otherwise: a process that lost its lease while
 * stalled cannot overwrite the newer sync of the process that took it over. Lease times are the processes' clocks,
 * which must agree within a fraction of the time to live.
 *
 * <p>{@link #version()} rises with every join, leave and completed pull: the other processes poll it to reload.
 *
 * <p>Thread safety: any thread (each call takes its own pooled connection).
 */
public final class FederatedStore {
    private final DataSource pool;

    public FederatedStore(final DataSource pool) {
        this.pool = pool;
    }

    /** This node's membership. */
    public record Identity(String nodeId, String orgId, String privateKey, String publicKey, long joinedAt) {
        @Override
        public String toString() {
            return "Identity[nodeId=" + nodeId + ", orgId=" + orgId + ", privateKey=<hidden>]";
        }
    }

    /** A pattern this node contributed and the coordinator acknowledged. */
    public record Contributed(String patternId, String keyId, String conceptA, String conceptB, int bucket) {}

    /** A pattern pulled from the federation, opened. */
    public record Federated(
            String patternId,
            String conceptA,
            String conceptB,
            String nameA,
            String nameB,
            int bucket,
            int organisations,
            double weight) {}

    /** The shared version and the last successful sync (epoch ms, 0: never), read in one statement. */
    public record Version(long version, long lastSuccessMillis) {}

    /** Who holds the sync lease and until when (epoch ms); holder null when free. */
    public record Lease(String holder, long expiresAt) {}

    /** The lease this process held was taken over by another after it expired: the write is refused. */
    public static final class LeaseLostException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        LeaseLostException(final String holder) {
            super("this process (" + holder + ") no longer holds the federation sync lease: it expired and another "
                    + "replica took it over; its sync is abandoned");
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** A write of a sync, run after the lease check in the same transaction. */
    @FunctionalInterface
    private interface LeasedWork {
        void run(Connection c) throws SQLException;
    }

    public Version version() {
        return read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT version, (SELECT value FROM federation_state WHERE name = '"
                            + LAST_SUCCESS + "') FROM federation_node WHERE singleton = 1")) {
                if (!r.next()) {
                    throw new SQLException("federation_node has no row: the database is not at schema V10");
                }
                final String last = r.getString(2);
                return new Version(r.getLong(1), last == null ? 0 : Long.parseLong(last));
            }
        });
    }

    /** The name of the {@link #state} holding the last successful sync's time. */
    static final String LAST_SUCCESS = "last_success_millis";

    /**
     * Takes the lease for {@code holder} until {@code now + ttlMillis} when it is free, expired, or already
     * {@code holder}'s (then it is renewed). One conditional update: concurrent takers cannot both succeed.
     */
    public boolean tryLease(final String holder, final long now, final long ttlMillis) {
        return write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE federation_node SET lease_holder = ?,"
                    + " lease_expires_at = ? WHERE singleton = 1"
                    + " AND (lease_holder IS NULL OR lease_holder = ? OR lease_expires_at < ?)")) {
                s.setString(1, holder);
                s.setLong(2, now + ttlMillis);
                s.setString(3, holder);
                s.setLong(4, now);
                return s.executeUpdate() == 1;
            }
        });
    }

    /** Gives the lease up when {@code holder} holds it. */
    public void releaseLease(final String holder) {
        write(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE federation_node SET lease_holder = NULL,"
                    + " lease_expires_at = 0 WHERE singleton = 1 AND lease_holder = ?")) {
                s.setString(1, holder);
                return s.executeUpdate();
            }
        });
    }

    public Lease lease() {
        return read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT lease_holder, lease_expires_at FROM federation_node WHERE singleton = 1")) {
                return r.next() ? new Lease(r.getString(1), r.getLong(2)) : new Lease(null, 0);
            }
        });
    }

    public Optional<Identity> identity() {
        return read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT node_id, org_id, private_key, public_key, joined_at FROM federation_identity")) {
                return r.next()
                        ? Optional.of(new Identity(
                                r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5)))
                        : Optional.<Identity>empty();
            }
        });
    }

    /** Stores the membership; {@code holder} must hold the lease. */
    public void saveIdentity(final Identity identity, final String holder) {
        leasedWrite(holder, true, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO federation_identity (singleton, node_id, org_id, private_key, public_key, joined_at)"
                            + " VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (singleton) DO UPDATE SET"
                            + " node_id = excluded.node_id, org_id = excluded.org_id,"
                            + " private_key = excluded.private_key, public_key = excluded.public_key,"
                            + " joined_at = excluded.joined_at")) {
                s.setString(1, identity.nodeId());
                s.setString(2, identity.orgId());
                s.setString(3, identity.privateKey());
                s.setString(4, identity.publicKey());
                s.setLong(5, identity.joinedAt());
                s.executeUpdate();
            }
        });
    }

    /** Forgets the membership and everything pulled or contributed (after leaving); {@code holder} holds the lease. */
    public void clear(final String holder) {
        leasedWrite(holder, true, c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM federation_identity");
                s.executeUpdate("DELETE FROM federation_contributed");
                s.executeUpdate("DELETE FROM federation_patterns");
                s.executeUpdate("DELETE FROM federation_state");
            }
        });
    }

    public Map<String, Contributed> contributed() {
        return read(c -> {
            final Map<String, Contributed> out = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT pattern_id, key_id, concept_a, concept_b, bucket FROM federation_contributed")) {
                while (r.next()) {
                    out.put(
                            r.getString(1),
                            new Contributed(
                                    r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5)));
                }
            }
            return out;
        });
    }

    /** How many contributions the coordinator acknowledged and this node has not retracted. */
    public int contributedCount() {
        return read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT COUNT(*) FROM federation_contributed")) {
                return r.next() ? r.getInt(1) : 0;
            }
        });
    }

    /**
     * Records what the coordinator acknowledged: added (or updated) contributions and retracted ones; {@code holder}
     * must hold the lease.
     */
    public void acknowledge(
            final Collection<Contributed> added,
            final Collection<String> retracted,
            final long now,
            final String holder) {
        leasedWrite(holder, false, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO federation_contributed (pattern_id, key_id, concept_a, concept_b, bucket,"
                            + " contributed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pattern_id) DO UPDATE SET"
                            + " key_id = excluded.key_id, concept_a = excluded.concept_a,"
                            + " concept_b = excluded.concept_b, bucket = excluded.bucket,"
                            + " contributed_at = excluded.contributed_at")) {
                for (final Contributed k : added) {
                    s.setString(1, k.patternId());
                    s.setString(2, k.keyId());
                    s.setString(3, k.conceptA());
                    s.setString(4, k.conceptB());
                    s.setInt(5, k.bucket());
                    s.setLong(6, now);
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM federation_contributed WHERE pattern_id = ?")) {
                for (final String id : retracted) {
                    s.setString(1, id);
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
    }

    public List<Federated> federated() {
        return read(c -> {
            final List<Federated> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT pattern_id, concept_a, concept_b, name_a, name_b, bucket,"
                            + " organisations, weight FROM federation_patterns ORDER BY pattern_id")) {
                while (r.next()) {
                    out.add(new Federated(
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getInt(6),
                            r.getInt(7),
                            r.getDouble(8)));
                }
            }
            return out;
        });
    }

    /**
     * Replaces the pulled patterns with a complete pull, in one transaction (a partial pull never lands) that raises
     * the version; {@code holder} must hold the lease.
     */
    public void replaceFederated(final Collection<Federated> patterns, final long now, final String holder) {
        leasedWrite(holder, true, c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM federation_patterns");
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO federation_patterns (pattern_id, concept_a, concept_b, name_a, name_b, bucket,"
                            + " organisations, weight, pulled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (final Federated f : patterns) {
                    s.setString(1, f.patternId());
                    s.setString(2, f.conceptA());
                    s.setString(3, f.conceptB());
                    s.setString(4, f.nameA());
                    s.setString(5, f.nameB());
                    s.setInt(6, f.bucket());
                    s.setInt(7, f.organisations());
                    s.setDouble(8, f.weight());
                    s.setLong(9, now);
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
    }

    public Optional<String> state(final String name) {
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM federation_state WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    public void saveState(final String name, final String value) {
        write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO federation_state (name, value) VALUES (?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
                s.setString(1, name);
                s.setString(2, value);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Inside a write transaction: fails unless {@code holder} still holds the lease, and raises the version when
     * {@code bump}. The update also locks the row until the transaction ends, so no lease change interleaves.
     */
    private static void stillHeld(final Connection c, final String holder, final boolean bump) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE federation_node SET version = version + ?" + " WHERE singleton = 1 AND lease_holder = ?")) {
            s.setInt(1, bump ? 1 : 0);
            s.setString(2, holder);
            if (s.executeUpdate() != 1) {
                throw new LeaseLostException(holder);
            }
        }
    }

    /**
     * Runs {@code work} in one write transaction that first checks that {@code holder} still holds the lease (and
     * raises the version when {@code bump}): every write of a sync goes through here.
     */
    private void leasedWrite(final String holder, final boolean bump, final LeasedWork work) {
        write(c -> {
            stillHeld(c, holder, bump);
            work.run(c);
            return null;
        });
    }

    private <T> T read(final Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (final SQLException e) {
            throw new StorageUnavailableException("federation store: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction; a failure rolls it back whole. */
    private <T> T write(final Work<T> work) {
        try (Connection c = pool.getConnection()) {
            final boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                final T result = work.run(c);
                c.commit();
                return result;
            } catch (final SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (final SQLException e) {
            throw new StorageUnavailableException("federation store: " + e.getMessage(), e);
        }
    }
}
