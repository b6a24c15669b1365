package ai.continuum.server.federation.node;

import ai.continuum.server.federation.FederationDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's federation state in its own SQLite file ({@code federation/federation.db} in the data directory), apart
 * from the tenant's knowledge: the node's identity, the patterns it contributed (so the next sync can retract those
 * that are gone), and the patterns pulled from the federation. Nothing here changes a local count. Thread-safe: one
 * connection under a lock.
 */
public final class FederatedStore implements AutoCloseable {
    private final FederationDatabase database;
    private final Connection connection;

    public FederatedStore(final Path file) {
        this.database = new FederationDatabase(file, "db/federation/node", "federation store");
        this.connection = database.connection();
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

    public Optional<Identity> identity() {
        return locked(() -> {
            try (Statement s = connection.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT node_id, org_id, private_key, public_key, joined_at FROM identity")) {
                return r.next()
                        ? Optional.of(new Identity(
                                r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5)))
                        : Optional.<Identity>empty();
            }
        });
    }

    public void saveIdentity(final Identity identity) {
        transaction(() -> {
            try (PreparedStatement s = connection.prepareStatement(
                    "INSERT OR REPLACE INTO identity (singleton, node_id, org_id, private_key, public_key, joined_at)"
                            + " VALUES (1, ?, ?, ?, ?, ?)")) {
                s.setString(1, identity.nodeId());
                s.setString(2, identity.orgId());
                s.setString(3, identity.privateKey());
                s.setString(4, identity.publicKey());
                s.setLong(5, identity.joinedAt());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Forgets the membership and everything pulled or contributed (after leaving). */
    public void clear() {
        transaction(() -> {
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("DELETE FROM identity");
                s.executeUpdate("DELETE FROM contributed");
                s.executeUpdate("DELETE FROM federated");
                s.executeUpdate("DELETE FROM sync_state");
            }
            return null;
        });
    }

    public Map<String, Contributed> contributed() {
        return locked(() -> {
            final Map<String, Contributed> out = new LinkedHashMap<>();
            try (Statement s = connection.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT pattern_id, key_id, concept_a, concept_b, bucket FROM contributed")) {
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
        return locked(() -> {
            try (Statement s = connection.createStatement();
                    ResultSet r = s.executeQuery("SELECT COUNT(*) FROM contributed")) {
                return r.next() ? r.getInt(1) : 0;
            }
        });
    }

    /** Records what the coordinator acknowledged: added (or updated) contributions and retracted ones. */
    public void acknowledge(final Collection<Contributed> added, final Collection<String> retracted, final long now) {
        transaction(() -> {
            try (PreparedStatement s = connection.prepareStatement(
                    "INSERT OR REPLACE INTO contributed (pattern_id, key_id, concept_a, concept_b, bucket,"
                            + " contributed_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (final Contributed c : added) {
                    s.setString(1, c.patternId());
                    s.setString(2, c.keyId());
                    s.setString(3, c.conceptA());
                    s.setString(4, c.conceptB());
                    s.setInt(5, c.bucket());
                    s.setLong(6, now);
                    s.addBatch();
                }
                s.executeBatch();
            }
            try (PreparedStatement s = connection.prepareStatement("DELETE FROM contributed WHERE pattern_id = ?")) {
                for (final String id : retracted) {
                    s.setString(1, id);
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    public List<Federated> federated() {
        return locked(() -> {
            final List<Federated> out = new ArrayList<>();
            try (Statement s = connection.createStatement();
                    ResultSet r = s.executeQuery("SELECT pattern_id, concept_a, concept_b, name_a, name_b, bucket,"
                            + " organisations, weight FROM federated ORDER BY pattern_id")) {
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

    /** Replaces the pulled patterns with a complete pull, in one transaction (a partial pull never lands). */
    public void replaceFederated(final Collection<Federated> patterns, final long now) {
        transaction(() -> {
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("DELETE FROM federated");
            }
            try (PreparedStatement s = connection.prepareStatement(
                    "INSERT INTO federated (pattern_id, concept_a, concept_b, name_a, name_b, bucket, organisations,"
                            + " weight, pulled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
            return null;
        });
    }

    public Optional<String> state(final String name) {
        return locked(() -> {
            try (PreparedStatement s = connection.prepareStatement("SELECT value FROM sync_state WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    public void saveState(final String name, final String value) {
        transaction(() -> {
            try (PreparedStatement s =
                    connection.prepareStatement("INSERT OR REPLACE INTO sync_state (name, value) VALUES (?, ?)")) {
                s.setString(1, name);
                s.setString(2, value);
                s.executeUpdate();
            }
            return null;
        });
    }

    private <T> T locked(final FederationDatabase.Work<T> work) {
        return database.locked(work);
    }

    private <T> T transaction(final FederationDatabase.Work<T> work) {
        return database.transaction(work);
    }

    @Override
    public void close() {
        database.close();
    }
}
