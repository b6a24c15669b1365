package ai.continuum.server.snapshot;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.core.ChangeEvents;
import ai.continuum.server.core.EngineApplier;
import ai.continuum.server.core.EngineSizing;
import ai.continuum.server.core.StoredRowScreen;
import ai.continuum.server.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes snapshots in the background, never touching the engine that serves: each checkpoint builds its own engine
 * from the previous snapshot (or, when there is none or it is unusable, from the database), brings it up to the
 * database's head from the change log, exactly as a starting instance would, writes it, and drops it. Learns and
 * recalls of the serving engine never wait for a checkpoint; the price is the checkpoint engine's memory while it
 * exists (about the serving engine's off-heap size) and its CPU.
 *
 * <p>A checkpoint is due {@code intervalSeconds} after the snapshot in the directory was taken, whoever took it: on a
 * volume several instances share, the first whose timer fires writes it and the others find it fresh and wait.
 *
 * <p>Thread model: one daemon thread {@code continuum-checkpoint}; {@link #takeNow} from any thread.
 */
public final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Checkpointer.class.getName());
    /** The first checkpoint after a start without a usable snapshot waits this long (the start-up settles first). */
    private static final long FIRST_DELAY_MS = 5_000;

    private final SnapshotStore store;
    private final Storage storage;
    private final EngineConfig config;
    private final long intervalMillis;
    /** Told the duration of every checkpoint taken, in ms. */
    private final LongConsumer taken;

    private final Thread thread;
    /** Counted down by {@link #close}: ends the wait for the next checkpoint at once. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile boolean closed;

    public Checkpointer(
            final SnapshotStore store,
            final Storage storage,
            final EngineConfig config,
            final long intervalSeconds,
            final LongConsumer taken) {
        this.store = store;
        this.storage = storage;
        this.config = config;
        this.intervalMillis = TimeUnit.SECONDS.toMillis(intervalSeconds);
        this.taken = taken;
        this.thread = new Thread(this::run, "continuum-checkpoint");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        long next = System.currentTimeMillis() + FIRST_DELAY_MS;
        while (!closed) {
            final Optional<SnapshotFile.Header> current = store.usableHeader(storage);
            if (current.isPresent()) {
                next = Math.max(next, current.get().takenAtMillis() + intervalMillis);
            }
            final long wait = next - System.currentTimeMillis();
            if (wait > 0) {
                pause(wait);
                continue;
            }
            try {
                takeNow();
            } catch (final IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "checkpoint failed; the next one is due in " + intervalMillis / 1000 + " s", e);
            }
            next = System.currentTimeMillis() + intervalMillis;
        }
    }

    /**
     * Takes one checkpoint now, on the calling thread.
     *
     * @return the snapshot's size in bytes.
     */
    public long takeNow() throws IOException {
        final long startNs = System.nanoTime();
        final String identity = storage.identity();
        final MemoryEngine engine = MemoryEngine.create(EngineSizing.forStored(config, storage));
        EngineApplier applier = null;
        try {
            applier = new EngineApplier(engine, storage, storage, ms -> {}, new ChangeEvents());
            final Optional<SnapshotStore.Restored> previous =
                    store.restoreInto(engine, storage, "the checkpoint builds from the database");
            if (previous.isPresent()) {
                applier.startAt(previous.get().positions());
            } else {
                applier.rebuild(StoredRowScreen::new);
            }
            for (final Map.Entry<String, Long> head : storage.heads().entrySet()) {
                applier.reach(head.getKey(), head.getValue()).join();
            }
            final List<SnapshotFile.Position> positions = new ArrayList<>();
            for (final String tenant : storage.heads().keySet()) {
                final long seq = applier.applied(tenant);
                if (seq > 0) {
                    positions.add(new SnapshotFile.Position(tenant, seq, hashAt(tenant, seq)));
                }
            }
            // The vectors stored by now: at least those of the memories up to these positions that were embedded
            // before, a
            // few later ones too (skipped on restore if the memory is not in the image).
            final long bytes = store.write(engine, positions, identity, storage);
            final long millis = (System.nanoTime() - startNs) / 1_000_000;
            taken.accept(millis);
            LOG.info(() -> String.format(
                    "checkpoint: wrote %s (%d bytes, %d tenants, from %s) in %d ms",
                    store.file(),
                    bytes,
                    positions.size(),
                    previous.isPresent() ? "the previous snapshot and the change log" : "the database",
                    millis));
            return bytes;
        } finally {
            if (applier != null) {
                applier.close();
            }
            // Only this thread and the applier's ever reach the checkpoint's engine: once the applier's thread has
            // ended, the engine's direct memory (the size of the serving graph) goes now, not at whichever full
            // collection comes next (RESULTS.md, "A real 256 MiB container": 111 MiB held after a checkpoint).
            if (applier == null || applier.stopped()) {
                engine.closeAndRelease();
            } else {
                engine.close();
            }
        }
    }

    private String hashAt(final String tenant, final long seq) {
        return storage.hashAt(tenant, seq)
                .orElseThrow(() -> new IllegalStateException("tenant " + tenant + "'s change log has no op at " + seq));
    }

    private void pause(final long millis) {
        try {
            stopped.await(Math.min(millis, intervalMillis), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        stopped.countDown();
        try {
            thread.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
