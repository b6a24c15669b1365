package ai.continuum.server.storage;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * API keys in the {@code api_keys} table, tenant and admin keys alike.
 *
 * <p>Inserts and revocations are written at once, on the caller's thread. {@link #touch} runs on every authenticated
 * request, so it only records the time in memory; the storage writer folds pending touches into its next
 * transaction ({@link SideWrites}). A crash can lose the last few seconds of last-use times, never
 * a key or a revocation. {@link #find} reports the newer of the stored and the pending time.
 *
 * <p>Reads ({@link #find}, {@link #list}) go through Helidon DbClient over the same pool, like the storage's other
 * request reads ({@link SqlStorage}); inserts, revocations and touches stay plain JDBC, the touches because they join
 * the writer's JDBC transaction.
 *
 * <p>Thread safety: any thread.
 */
final class SqlApiKeys implements ApiKeys, SideWrites {
    private static final String COLUMNS = "key_id, tenant_id, name, hash, admin, created_at, revoked_at, last_used_at";

    private final DataSource pool;
    /** DbClient over {@link #pool}, for the reads. */
    private final DbClient reads;

    private final SqlDialect dialect;
    /** keyId -> latest use not yet written, epoch ms. Written by request threads, drained by the writer thread. */
    private final Map<String, Long> touches = new ConcurrentHashMap<>();

    SqlApiKeys(final DataSource pool, final DbClient reads, final SqlDialect dialect) {
        this.pool = pool;
        this.reads = reads;
        this.dialect = dialect;
    }

    @Override
    public void insert(final StoredKey key) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO api_keys (" + COLUMNS + ") " + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, key.keyId());
            ps.setString(2, key.tenant());
            ps.setString(3, key.name() == null ? "" : key.name());
            ps.setString(4, key.hash());
            ps.setInt(5, key.admin() ? 1 : 0);
            ps.setLong(6, key.createdAt().toEpochMilli());
            setInstant(ps, 7, key.revokedAt());
            setInstant(ps, 8, key.lastUsedAt());
            ps.executeUpdate();
        } catch (final SQLException e) {
            if (find(key.keyId()).isPresent()) {
                throw new IllegalArgumentException("an API key with id '" + key.keyId() + "' already exists", e);
            }
            throw new StorageUnavailableException("cannot store API key '" + key.keyId() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredKey> find(final String keyId) {
        try {
            return reads.execute()
                    .get("SELECT " + COLUMNS + " FROM api_keys WHERE key_id = ?", keyId)
                    .map(this::read);
        } catch (final DbClientException e) {
            throw DbReads.failure("cannot read API key '" + keyId + "'", e);
        }
    }

    @Override
    public List<StoredKey> list() {
        try (Stream<DbRow> rows =
                reads.execute().query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, key_id")) {
            return rows.map(this::read).toList();
        } catch (final DbClientException e) {
            throw DbReads.failure("cannot list API keys", e);
        }
    }

    /** Revocation keeps the first revocation time; revoking a revoked key changes nothing and answers true. */
    @Override
    public boolean revoke(final String keyId, final Instant at) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, keyId);
            if (ps.executeUpdate() == 1) {
                if (dialect == SqlDialect.POSTGRESQL) {
                    // Auto-commit: the revocation is committed, so the processes woken by this see it.
                    PostgresChangeSignals.announceRevoked(c, keyId);
                }
                return true;
            }
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot revoke API key '" + keyId + "': " + e.getMessage(), e);
        }
        return find(keyId).isPresent();
    }

    @Override
    public boolean rehash(final String keyId, final String oldHash, final String newHash) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE api_keys SET hash = ? WHERE key_id = ? AND hash = ? AND revoked_at IS NULL")) {
            ps.setString(1, newHash);
            ps.setString(2, keyId);
            ps.setString(3, oldHash);
            return ps.executeUpdate() == 1;
        } catch (final SQLException e) {
            throw new StorageUnavailableException(
                    "cannot rewrite the hash of API key '" + keyId + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void touch(final String keyId, final Instant at) {
        touches.merge(keyId, at.toEpochMilli(), Math::max);
    }

    @Override
    public boolean hasPending() {
        return !touches.isEmpty();
    }

    // touches is a ConcurrentHashMap: its iterators are weakly consistent and removing while iterating is defined.
    @SuppressWarnings("ModifyCollectionInEnhancedForLoop")
    @Override
    public void write(final Connection connection, final long nowMillis) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE api_keys SET last_used_at = "
                + dialect.greatest("COALESCE(last_used_at, 0)", "?") + " WHERE key_id = ?")) {
            for (final Map.Entry<String, Long> e : touches.entrySet()) {
                // Removed only if unchanged: a newer touch arriving meanwhile stays for the next transaction.
                if (touches.remove(e.getKey(), e.getValue())) {
                    ps.setLong(1, e.getValue());
                    ps.setString(2, e.getKey());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private StoredKey read(final DbRow row) {
        final String keyId = DbReads.text(row, "key_id");
        Instant lastUsed = instant(row, "last_used_at");
        final Long pending = touches.get(keyId);
        if (pending != null && (lastUsed == null || pending > lastUsed.toEpochMilli())) {
            lastUsed = Instant.ofEpochMilli(pending);
        }
        return new StoredKey(
                keyId,
                DbReads.text(row, "tenant_id"),
                DbReads.text(row, "name"),
                DbReads.text(row, "hash"),
                DbReads.integer(row, "admin") != 0,
                Instant.ofEpochMilli(DbReads.integer(row, "created_at")),
                instant(row, "revoked_at"),
                lastUsed);
    }

    private static Instant instant(final DbRow row, final String column) {
        final Long millis = DbReads.nullableInteger(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static void setInstant(final PreparedStatement ps, final int index, final Instant value)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }
}
