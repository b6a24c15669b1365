package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The {@code idempotency_keys} table: claims inside the writer's transaction ({@link #claim}), and, on the read pool,
 * lookups, the recording of each answer, and the purge of expired rows.
 *
 * <p>Thread safety: {@link #claim} runs on the caller's (the writer's) connection; the other methods take a pooled
 * connection each and may be called from any thread.
 */
public final class IdempotencyKeys {
    /** Expired rows are purged after every this many recorded answers. */
    static final long PURGE_EVERY = 1_000;

    /** A stored key: what it was used for and, once recorded, the answer (status null until then). */
    public record Stored(String requestHash, long memoryId, Integer status, String response, long createdAtMs) {}

    /** The claim ({@link #claim}): parameters tenant, key, request hash, memory id, now, window start. */
    static final String CLAIM = "INSERT INTO idempotency_keys (tenant_id, idem_key, request_hash, memory_id, status, "
            + "response, created_at) VALUES (?, ?, ?, ?, NULL, NULL, ?) "
            + "ON CONFLICT (tenant_id, idem_key) DO UPDATE SET request_hash = excluded.request_hash, "
            + "memory_id = excluded.memory_id, status = NULL, response = NULL, created_at = excluded.created_at "
            + "WHERE idempotency_keys.created_at < ?";

    private final DataSource pool;
    private final AtomicLong recorded = new AtomicLong();

    IdempotencyKeys(final DataSource pool) {
        this.pool = pool;
    }

    /**
     * Inserts the claim, or takes over an expired row of the same key; false when a live row holds the key (the
     * write must then not be applied). Runs in the caller's transaction: on PostgreSQL a concurrent transaction
     * holding the same key makes this wait for it, then see its row.
     */
    static boolean claim(final PreparedStatement ps, final IdempotencyClaim claim, final long nowMs)
            throws SQLException {
        ps.setString(1, claim.tenant());
        ps.setString(2, claim.key());
        ps.setString(3, claim.requestHash());
        ps.setLong(4, claim.memoryId());
        ps.setLong(5, nowMs);
        ps.setLong(6, claim.windowStartMs());
        return ps.executeUpdate() == 1;
    }

    /** The live row of {@code key}, if any (rows created before {@code windowStartMs} have expired). */
    public Optional<Stored> find(final String tenant, final String key, final long windowStartMs) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT request_hash, memory_id, status, response, created_at "
                                + "FROM idempotency_keys WHERE tenant_id = ? AND idem_key = ? AND created_at >= ?")) {
            ps.setString(1, tenant);
            ps.setString(2, key);
            ps.setLong(3, windowStartMs);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                final Number status = (Number) rs.getObject(3);
                return Optional.of(new Stored(
                        rs.getString(1),
                        rs.getLong(2),
                        status == null ? null : status.intValue(),
                        rs.getString(4),
                        rs.getLong(5)));
            }
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot read Idempotency-Key '" + key + "': " + e.getMessage(), e);
        }
    }

    /**
     * Records the answer given to the request that claimed {@code claim}'s key (inserting the row if the write did
     * not commit it, as an import, idempotent by content, does not). Best effort: a keyed write is already committed
     * with its key; if this fails, a retry still applies nothing and is answered from the key's memory id.
     */
    public void record(final IdempotencyClaim claim, final int status, final String response, final long nowMs) {
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_keys (tenant_id, idem_key, "
                    + "request_hash, memory_id, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (tenant_id, idem_key) DO UPDATE SET status = excluded.status, "
                    + "response = excluded.response WHERE idempotency_keys.request_hash = excluded.request_hash")) {
                ps.setString(1, claim.tenant());
                ps.setString(2, claim.key());
                ps.setString(3, claim.requestHash());
                ps.setLong(4, claim.memoryId());
                ps.setInt(5, status);
                ps.setString(6, response);
                ps.setLong(7, nowMs);
                ps.executeUpdate();
            }
            if (recorded.incrementAndGet() % PURGE_EVERY == 0) {
                purge(c, claim.windowStartMs());
            }
        } catch (final SQLException e) {
            System.getLogger(IdempotencyKeys.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "cannot record the answer for Idempotency-Key '" + claim.key()
                                    + "' (a keyed write is committed; a "
                                    + "retry is answered from the key's memory id): " + Failures.describe(e));
        }
    }

    /** Deletes the rows created before {@code windowStartMs}; returns how many. */
    public int purgeExpired(final long windowStartMs) {
        try (Connection c = pool.getConnection()) {
            return purge(c, windowStartMs);
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot purge expired idempotency keys: " + e.getMessage(), e);
        }
    }

    private static int purge(final Connection c, final long windowStartMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_keys WHERE created_at < ?")) {
            ps.setLong(1, windowStartMs);
            return ps.executeUpdate();
        }
    }
}
