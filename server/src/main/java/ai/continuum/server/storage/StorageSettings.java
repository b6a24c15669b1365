package ai.continuum.server.storage;

import ai.continuum.engine.EngineConfig;
import java.util.Objects;

/**
 * Tunables of the SQL storage, validated once. Immutable.
 *
 * @param queueCapacity      ops the write-behind queue holds before {@link Storage#submit} answers
 *                           {@link QueueFullException}, 1..10,000,000. Default 10,000: at the 5,000 turns/s target
 *                           that is two seconds of writes, enough to ride out a checkpoint without unbounded memory.
 * @param maxBatchOps        ops committed in one transaction, 1..100,000. Default 500. Larger batches amortise the
 *                           fsync further but delay the acknowledgement of the first op in the batch.
 * @param durability         {@link Durability#FULL} fsyncs every commit (survives power loss);
 *                           {@link Durability#NORMAL} in WAL mode survives a process crash but may lose the last
 *                           commits on power loss. Default FULL.
 * @param busyTimeoutMs      how long a SQLite statement waits for a lock held by another connection, 0..600,000;
 *                           also how long {@link Storage#optimize} waits for a lock on PostgreSQL.
 * @param commitRetryMs      how long the writer retries a failing batch (with backoff) before it fails the batch's
 *                           futures with {@link StorageUnavailableException}, 0..3,600,000. Default 5,000.
 * @param probeIntervalMs    while the database refuses writes, how often the writer tries a probe write to notice
 *                           recovery, 10..600,000. Default 1,000.
 * @param closeTimeoutMs     how long {@link Storage#close} waits for queued ops to commit, 0..3,600,000.
 *                           Default 30,000.
 * @param readPoolSize       pooled connections for reads and key management, 1..64. Default 4.
 * @param loadChunkRows      rows per delta handed to the {@link Storage#load} sink, 1..1,000,000. Default 10,000.
 * @param engine             the engine's config; storage needs its link-strength formula to prune the same links the
 *                           engine prunes.
 */
public record StorageSettings(
        int queueCapacity,
        int maxBatchOps,
        Durability durability,
        long busyTimeoutMs,
        long commitRetryMs,
        long probeIntervalMs,
        long closeTimeoutMs,
        int readPoolSize,
        int loadChunkRows,
        EngineConfig engine) {

    /** Whether a commit is fsynced before it is acknowledged. */
    public enum Durability {
        FULL,
        NORMAL
    }

    public StorageSettings {
        requireIn("queueCapacity", queueCapacity, 1, 10_000_000);
        requireIn("maxBatchOps", maxBatchOps, 1, 100_000);
        Objects.requireNonNull(durability, "durability");
        requireIn("busyTimeoutMs", busyTimeoutMs, 0, 600_000);
        requireIn("commitRetryMs", commitRetryMs, 0, 3_600_000);
        requireIn("probeIntervalMs", probeIntervalMs, 10, 600_000);
        requireIn("closeTimeoutMs", closeTimeoutMs, 0, 3_600_000);
        requireIn("readPoolSize", readPoolSize, 1, 64);
        requireIn("loadChunkRows", loadChunkRows, 1, 1_000_000);
        Objects.requireNonNull(engine, "engine");
    }

    public static StorageSettings defaults() {
        return new StorageSettings(
                10_000, 500, Durability.FULL, 5_000, 5_000, 1_000, 30_000, 4, 10_000, EngineConfig.defaults());
    }

    public StorageSettings withQueueCapacity(final int capacity) {
        return new StorageSettings(
                capacity,
                maxBatchOps,
                durability,
                busyTimeoutMs,
                commitRetryMs,
                probeIntervalMs,
                closeTimeoutMs,
                readPoolSize,
                loadChunkRows,
                engine);
    }

    public StorageSettings withMaxBatchOps(final int ops) {
        return new StorageSettings(
                queueCapacity,
                ops,
                durability,
                busyTimeoutMs,
                commitRetryMs,
                probeIntervalMs,
                closeTimeoutMs,
                readPoolSize,
                loadChunkRows,
                engine);
    }

    public StorageSettings withDurability(final Durability value) {
        return new StorageSettings(
                queueCapacity,
                maxBatchOps,
                value,
                busyTimeoutMs,
                commitRetryMs,
                probeIntervalMs,
                closeTimeoutMs,
                readPoolSize,
                loadChunkRows,
                engine);
    }

    public StorageSettings withTimeouts(final long busyMs, final long retryMs, final long probeMs, final long closeMs) {
        return new StorageSettings(
                queueCapacity,
                maxBatchOps,
                durability,
                busyMs,
                retryMs,
                probeMs,
                closeMs,
                readPoolSize,
                loadChunkRows,
                engine);
    }

    public StorageSettings withLoadChunkRows(final int rows) {
        return new StorageSettings(
                queueCapacity,
                maxBatchOps,
                durability,
                busyTimeoutMs,
                commitRetryMs,
                probeIntervalMs,
                closeTimeoutMs,
                readPoolSize,
                rows,
                engine);
    }

    public StorageSettings withEngine(final EngineConfig config) {
        return new StorageSettings(
                queueCapacity,
                maxBatchOps,
                durability,
                busyTimeoutMs,
                commitRetryMs,
                probeIntervalMs,
                closeTimeoutMs,
                readPoolSize,
                loadChunkRows,
                config);
    }

    private static void requireIn(final String field, final long value, final long low, final long high) {
        if (value < low || value > high) {
            throw new IllegalArgumentException(field + "=" + value + " must be in [" + low + ", " + high + "]");
        }
    }
}
