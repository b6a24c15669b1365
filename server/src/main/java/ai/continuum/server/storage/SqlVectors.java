package ai.continuum.server.storage;

import ai.continuum.engine.semantic.StoredVectors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The semantic index's vectors in the {@code memory_vectors} table (migration V9), so a restart or another instance on
 * the same database takes them instead of running the model again.
 *
 * <p>Saving only queues the row; the storage writer folds queued rows into its next transaction or writes them alone
 * when idle ({@link SideWrites}), so neither learn nor the embedding thread waits for the database. A row already
 * there (another instance embedded the same memory) is left as it is. At most {@value #MAX_PENDING} rows wait: past
 * that (the database unreachable for long) further rows are dropped, and those memories are embedded again after the
 * next start. Rows are derived data: losing one costs one embedding, never a memory.
 *
 * <p>No row outlives its memory. Forget deletes the memory's rows in its own transaction ({@link RemovalWriter}), but
 * a vector computed before the forget may still be queued, here or on another instance: a row is therefore written
 * only while its memory has no tombstone ({@code forgotten_memories}).
 *
 * <p>A replace-import leaves no tombstones: its clear deletes the tenant's rows, and the engine drops the tenant's
 * memories only after that commit. A vector the index computes for one of them in between (it read the memory while
 * still live) is saved after the clear, and would be written for a memory that is gone, or, should the imported
 * document reuse the memory's id, for another memory. So the queue carries, besides rows, the engine's notice that it
 * dropped a tenant ({@link #dropped}): every row of the dropped memories is queued before that notice, every row
 * queued after it is of a memory the tenant received since ({@link StoredVectors#dropped}). The writer counts each
 * replace it committed ({@link #tenantCleared}) until the notice of its drop comes through the queue, and while a
 * tenant has such a replace outstanding, discards the tenant's rows instead of writing them: on the writer thread,
 * in queue order, those rows are exactly the vectors of memories the replace deleted. Rows written before the replace
 * committed were deleted by it.
 *
 * <p>Rows that still lose their memory are swept once after every start ({@link #sweep}): the first write of the
 * writer deletes every row whose memory is not in {@code messages}. They are rows a replace committed by another
 * instance left (this writer does not hear of it, see {@link #write}), and rows written by a version without these
 * checks. A row
 * committed a moment before its memory (another instance's writer, one batch apart) can be swept by a start in
 * between: that memory is embedded once more, nothing worse.
 *
 * <p>Look-ups ({@link #find}) and the snapshot's full read ({@link #readAll}) go through the read pool.
 *
 * <p>Thread safety: {@link #save} and {@link #find} from the embedding thread, {@link #dropped} from the engine's
 * writer, {@link #write} and {@link #tenantCleared} from the storage writer thread, {@link #readAll} from a
 * checkpoint thread.
 */
final class SqlVectors implements StoredVectors, SideWrites {
    /** Rows queued and not yet written, at most. */
    static final int MAX_PENDING = 100_000;
    /** Rows written per transaction, at most: a long backlog is written over several. */
    private static final int MAX_PER_WRITE = 1_000;
    /** Memory ids per look-up statement (one IN list). */
    private static final int MAX_PER_FIND = 256;

    /** What the writer takes from the queue, in the order it was queued. */
    private sealed interface Queued permits Row, Dropped {}

    /** The engine dropped every memory of the tenant; the rows of those memories were all queued before this. */
    private record Dropped(String tenant) implements Queued {}

    /** A queued row; the vector is this row's own copy. */
    private static final class Row implements Queued {
        final String tenant;
        final long memoryId;
        final String model;
        final byte[] vector;
        final float scale;

        Row(final String tenant, final long memoryId, final String model, final byte[] vector, final float scale) {
            this.tenant = tenant;
            this.memoryId = memoryId;
            this.model = model;
            this.vector = vector;
            this.scale = scale;
        }
    }

    /** The rows whose memory is not in {@code messages}: what the sweep deletes. */
    private static final String WITHOUT_MEMORY = " WHERE NOT EXISTS (SELECT 1 FROM messages m"
            + " WHERE m.tenant_id = memory_vectors.tenant_id AND m.id = memory_vectors.memory_id)";

    private final DataSource pool;
    private final ConcurrentLinkedQueue<Queued> pending = new ConcurrentLinkedQueue<>();
    /** Rows in {@link #pending} (the notices of dropped tenants are not counted: none is ever left out). */
    private final AtomicInteger pendingCount = new AtomicInteger();
    /**
     * Writer thread only: per tenant, the replaces committed whose drop has not yet come through the queue; a tenant
     * in it has its rows discarded.
     */
    private final Map<String, Integer> replacesAhead = new HashMap<>();
    /**
     * True until the sweep of rows without a memory has run: once per start, on the writer thread (a transaction
     * that then fails to commit leaves those rows to the next start).
     */
    private volatile boolean sweepDue = true;

    SqlVectors(final DataSource pool) {
        this.pool = pool;
    }

    @Override
    public void save(
            final String tenant, final long memoryId, final String model, final byte[] quantised, final float scale) {
        if (pendingCount.incrementAndGet() > MAX_PENDING) {
            pendingCount.decrementAndGet();
            return;
        }
        pending.add(new Row(tenant, memoryId, model, quantised.clone(), scale));
    }

    @Override
    public void dropped(final String tenant) {
        pending.add(new Dropped(tenant));
    }

    @Override
    public void tenantCleared(final String tenant) {
        replacesAhead.merge(tenant, 1, Integer::sum);
    }

    @Override
    public void find(
            final String tenant, final long[] memoryIds, final int count, final String model, final Found found) {
        try (Connection c = pool.getConnection()) {
            for (int from = 0; from < count; from += MAX_PER_FIND) {
                final int n = Math.min(MAX_PER_FIND, count - from);
                final StringBuilder sql = new StringBuilder(
                        "SELECT memory_id, scale, vector FROM memory_vectors WHERE tenant_id = ? AND model = ? AND"
                                + " memory_id IN (");
                for (int i = 0; i < n; i++) {
                    sql.append(i == 0 ? "?" : ", ?");
                }
                try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
                    ps.setString(1, tenant);
                    ps.setString(2, model);
                    for (int i = 0; i < n; i++) {
                        ps.setLong(3 + i, memoryIds[from + i]);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.vector(rs.getLong(1), rs.getBytes(3), rs.getFloat(2));
                        }
                    }
                }
            }
        } catch (final SQLException e) {
            // Those memories are embedded by the model instead: slower, never wrong.
            System.getLogger(SqlVectors.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "cannot read stored vectors of tenant " + tenant + "; embedding them again: "
                                    + Failures.describe(e));
        }
    }

    @Override
    public boolean hasPending() {
        if (sweepDue && !orphansStored()) {
            sweepDue = false;
        }
        return sweepDue || !pending.isEmpty();
    }

    /**
     * Whether a row without its memory is stored, read through the pool (no write lock). Most starts find none, and
     * then the writer has no side write to make: a command that writes nothing (stats, optimize) opens no write
     * transaction, and one beside another connection's long write (optimize beside a server) does not wait for its
     * lock. A failed read answers true: the sweep then finds out.
     */
    private boolean orphansStored() {
        try (Connection c = pool.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT 1 FROM memory_vectors" + WITHOUT_MEMORY + " LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (final SQLException e) {
            return true;
        }
    }

    @Override
    public void write(final Connection connection, final long nowMillis) throws SQLException {
        if (sweepDue) {
            sweep(connection);
            sweepDue = false;
        }
        // The row of a memory forgotten since its vector was computed would outlive it: the tombstone refuses it.
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO memory_vectors (tenant_id, memory_id, model, scale, vector) SELECT ?, ?, ?, ?, ?"
                        + " WHERE NOT EXISTS (SELECT 1 FROM forgotten_memories f"
                        + " WHERE f.tenant_id = ? AND f.memory_id = ?)"
                        + " ON CONFLICT (tenant_id, memory_id, model) DO NOTHING")) {
            int n = 0;
            for (Queued next = pending.poll(); next != null; next = n < MAX_PER_WRITE ? pending.poll() : null) {
                if (next instanceof Dropped dropped) {
                    // The drop of a replace another instance committed finds none outstanding here; should it come
                    // while one of this writer's is, it ends the discarding early, and the rows that lets through are
                    // left to the sweep at the next start.
                    replacesAhead.computeIfPresent(dropped.tenant(), (tenant, ahead) -> ahead > 1 ? ahead - 1 : null);
                    continue;
                }
                final Row row = (Row) next;
                pendingCount.decrementAndGet();
                if (replacesAhead.containsKey(row.tenant)) {
                    continue; // its memory was deleted by a replace this writer committed (see the class comment)
                }
                ps.setString(1, row.tenant);
                ps.setLong(2, row.memoryId);
                ps.setString(3, row.model);
                ps.setFloat(4, row.scale);
                ps.setBytes(5, row.vector);
                ps.setString(6, row.tenant);
                ps.setLong(7, row.memoryId);
                ps.addBatch();
                n++;
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
    }

    /**
     * Deletes every row whose memory is not stored (see the class comment); one statement, an index look-up per row
     * on the key of {@code messages}.
     */
    private static void sweep(final Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM memory_vectors" + WITHOUT_MEMORY)) {
            final int swept = ps.executeUpdate();
            if (swept > 0) {
                System.getLogger(SqlVectors.class.getName())
                        .log(System.Logger.Level.INFO, "deleted " + swept + " stored vectors whose memory is gone");
            }
        }
    }

    /** Every stored vector, by tenant, model and memory id, in one read transaction. */
    static void readAll(final Connection c, final StorageLoading.VectorRows sink) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT tenant_id, model, memory_id, scale, vector FROM memory_vectors"
                        + " ORDER BY tenant_id, model, memory_id")) {
            ps.setFetchSize(1_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.row(rs.getString(1), rs.getLong(3), rs.getString(2), rs.getFloat(4), rs.getBytes(5));
                }
            }
        }
    }
}
