package ai.continuum.server.snapshot;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.core.ChangeEvents;
import ai.continuum.server.core.EngineApplier;
import ai.continuum.server.core.EngineSizing;
import ai.continuum.server.core.StoredRowScreen;
import ai.continuum.server.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes snapshots in the background, from one of two engines ({@link Source}):
 * <ul>
 *   <li><b>separate</b>: the checkpoint builds its own engine from the previous snapshot (or, when there is none or it
 *       is unusable, from the database), brings it up to the database's head from the change log, exactly as a
 *       starting instance would, writes it, and drops it. The serving engine's writers never wait; the price is a
 *       second engine's memory (about the serving engine's off-heap size) and its CPU while it exists.</li>
 *   <li><b>serving</b>: the checkpoint writes the engine that serves, at the positions it holds, while its applier
 *       waits ({@link EngineApplier#whileStill}): no second engine, and learns wait for the length of the dump
 *       (recalls go on). Only an engine whose state is the database's up to its positions can be written this way.</li>
 * </ul>
 * {@link Source#AUTO} writes the serving engine when the process has no room for a second one ({@link MemoryRoom}),
 * the case of a small pod, where a second engine is what gets the process killed.
 *
 * <p>A checkpoint is due {@code intervalSeconds} after the snapshot in the directory was taken, whoever took it: on a
 * volume several instances share, the first whose timer fires writes it and the others find it fresh and wait. A due
 * checkpoint is skipped, and due again an interval later, while the database holds nothing the snapshot does not: the
 * same file again would cost a pause of the writes (the serving engine) or a second engine's memory (a separate one)
 * for nothing, every interval on an idle service and seconds after every start from a snapshot older than the interval
 * (seen in a 256 MiB pod, benchmarks/RESULTS.md, "The 100k/500k service and the 256 MiB pod").
 *
 * <p>A stop ({@link #close}) waits up to {@code STOP_PATIENCE} for a checkpoint under way, so that the storage it
 * reads closes after it. A checkpoint that takes longer (a large rebuild) is abandoned: the rebuild stops at its next
 * delta, and whatever it then meets in the closing storage is logged as the abandon it is, not as a failure. Nothing
 * is lost: the snapshot is written to a temporary file and renamed, so the one on disk stays as it was, and the
 * database holds everything.
 *
 * <p>Thread model: one daemon thread {@code continuum-checkpoint}; {@link #takeNow} from any thread.
 */
public final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Checkpointer.class.getName());
    /** The first checkpoint after a start without a usable snapshot waits this long (the start-up settles first). */
    private static final Duration FIRST_DELAY = Duration.ofSeconds(5);
    /** How long a stop waits for a checkpoint under way before it abandons it. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);
    /** How long a checkpoint of the serving engine waits for async writes applied ahead to commit. */
    private static final Duration SETTLE_PATIENCE = Duration.ofSeconds(30);

    /** Which engine a checkpoint writes (config {@code snapshot.checkpoint-engine}). */
    public enum Source {
        /** The serving engine when there is no room for a second one, else a separate engine. */
        AUTO,
        /** Always a separate engine built for the checkpoint: learns never wait, memory for two engines. */
        SEPARATE,
        /** Always the serving engine: memory for one engine, learns wait for the dump. */
        SERVING;

        /** The source named in the configuration ({@code auto}, {@code separate}, {@code serving}). */
        public static Source named(final String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** The engine that serves and its one writer, for checkpoints that write it. */
    public record Serving(MemoryEngine engine, EngineApplier applier) {}

    /** Told of every checkpoint's outcome (the metrics). */
    public interface Outcomes {
        /** A checkpoint was written in {@code millis}, from the serving engine with its writes held {@code pausedMillis}. */
        void taken(boolean fromServing, long millis, long pausedMillis);

        /** A background checkpoint failed (its cause is logged). */
        void failed();
    }

    private final SnapshotStore store;
    private final Storage storage;
    private final EngineConfig config;
    private final long intervalMillis;
    private final Source source;
    /** Null when only separate engines can be written (tools and tests without a serving engine). */
    private final Serving serving;

    private final Outcomes outcomes;

    /** Both set before {@link #start} only ({@link #timing}); the checkpoint thread reads them after. */
    private Duration firstDelay = FIRST_DELAY;

    private Duration stopPatience = STOP_PATIENCE;

    private final Thread thread;
    /** Counted down by {@link #close}: ends the wait for the next checkpoint at once. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile boolean closed;
    /**
     * Set by {@link #close} when its patience ran out with a checkpoint still under way, before the storage closes:
     * that checkpoint stops at its next step, and what it meets in the closing storage is no failure.
     */
    private volatile boolean abandoned;

    /** A checkpointer that always builds a separate engine. */
    public Checkpointer(
            final SnapshotStore store,
            final Storage storage,
            final EngineConfig config,
            final long intervalSeconds,
            final LongConsumer taken) {
        this(store, storage, config, intervalSeconds, Source.SEPARATE, null, new Outcomes() {
            @Override
            public void taken(final boolean fromServing, final long millis, final long pausedMillis) {
                taken.accept(millis);
            }

            @Override
            public void failed() {}
        });
    }

    public Checkpointer(
            final SnapshotStore store,
            final Storage storage,
            final EngineConfig config,
            final long intervalSeconds,
            final Source source,
            final Serving serving,
            final Outcomes outcomes) {
        if (source != Source.SEPARATE && serving == null) {
            throw new IllegalArgumentException("a checkpoint of the serving engine needs the serving engine");
        }
        this.store = store;
        this.storage = storage;
        this.config = config;
        this.intervalMillis = TimeUnit.SECONDS.toMillis(intervalSeconds);
        this.source = source;
        this.serving = serving;
        this.outcomes = outcomes;
        this.thread = new Thread(this::run, "continuum-checkpoint");
        this.thread.setDaemon(true);
    }

    /** Sets the delay of the first checkpoint and the patience of a stop, before {@link #start} (tests). */
    Checkpointer timing(final Duration first, final Duration patience) {
        this.firstDelay = first;
        this.stopPatience = patience;
        return this;
    }

    public void start() {
        thread.start();
    }

    /**
     * The thread's loop. The check whether a checkpoint is due reads the database as the checkpoint does, and a restart
     * of PostgreSQL, a pool timeout or the storage closing at a stop makes either throw: both run in the one guarded
     * step, so that a failure of either is a failed checkpoint (an abandon, at a stop) and the thread goes on to the
     * next. It ends only at a stop: a thread ended by a failure takes no checkpoint again, silently, and every restart
     * of the process replays more of the change log.
     */
    private void run() {
        long next = System.currentTimeMillis() + firstDelay.toMillis();
        while (!closed) {
            try {
                next = checkpointIfDue(next);
            } catch (final IOException | RuntimeException | OutOfMemoryError e) {
                if (abandoned) {
                    // Stopped under the checkpoint or its check: an Abandoned, or what the closing storage threw at it.
                    LOG.info("checkpoint abandoned: the server is stopping (the snapshot on disk is unchanged)");
                    return;
                }
                // An OutOfMemoryError here is the checkpoint's own engine refused its direct memory: that engine is
                // released by now, and the serving one is untouched, so the thread goes on to the next checkpoint.
                // The next try is an interval away, as after any failure, however early the step failed: the
                // failures metric then counts an outage once an interval (its alert fires on more than one in 30
                // minutes), and a database that is struggling is not asked again any sooner.
                outcomes.failed();
                LOG.log(Level.WARNING, "checkpoint failed; the next one is due in " + intervalMillis / 1000 + " s", e);
                next = System.currentTimeMillis() + intervalMillis;
            }
        }
    }

    /**
     * One step of the loop: waits (an interval at the most) while no checkpoint is due {@code next} or by the snapshot
     * in the directory, skips a due one while the database holds nothing the snapshot does not, else takes it.
     *
     * @return when the next checkpoint is due.
     */
    private long checkpointIfDue(final long next) throws IOException {
        final Optional<SnapshotFile.Header> current = store.usableHeader(storage);
        final long due = current.isPresent() ? Math.max(next, current.get().takenAtMillis() + intervalMillis) : next;
        final long wait = due - System.currentTimeMillis();
        if (wait > 0) {
            pause(wait);
            return due;
        }
        if (current.isPresent() && holdsEveryHead(current.get())) {
            LOG.fine(() -> "checkpoint: nothing committed since the snapshot; the next check is in "
                    + intervalMillis / 1000 + " s");
            return System.currentTimeMillis() + intervalMillis;
        }
        if (closed) {
            // A stop began during the check: a checkpoint begun now is one the stop waits for, or abandons.
            return due;
        }
        takeNow();
        return System.currentTimeMillis() + intervalMillis;
    }

    /** Whether the snapshot {@code header} describes is at every tenant's head the database holds now. */
    private boolean holdsEveryHead(final SnapshotFile.Header header) {
        final Map<String, Long> taken = new HashMap<>();
        for (final SnapshotFile.Position position : header.positions()) {
            taken.put(position.tenant(), position.seq());
        }
        return taken.equals(recorded(storage.heads()));
    }

    /**
     * Takes one checkpoint now, on the calling thread, from the engine {@link #source} picks.
     *
     * @return the snapshot's size in bytes.
     * @throws IOException when the snapshot cannot be written, or the serving engine cannot be written as the
     *     database's state (and there is no room for a separate one).
     */
    public long takeNow() throws IOException {
        final boolean fromServing = switch (source) {
            case SEPARATE -> false;
            case SERVING -> true;
            case AUTO ->
                !MemoryRoom.ofThisProcess().fitsAnother(serving.engine().offHeapBytes());
        };
        return fromServing ? takeFromServing() : takeFromSeparate();
    }

    /** Writes the serving engine at the positions it holds, its applier waiting meanwhile. */
    private long takeFromServing() throws IOException {
        final long startNs = System.nanoTime();
        final EngineApplier applier = serving.applier();
        if (!applier.matchesStore()) {
            throw new IOException("the serving engine holds an async write that was not committed, so it is not the"
                    + " database's state; set snapshot.checkpoint-engine=separate (memory for a second engine) or"
                    + " restart");
        }
        final String identity = storage.identity();
        final long[] pauseNs = {0};
        final Optional<Long> written = applier.whileStill(SETTLE_PATIENCE, still -> {
            final long stillAt = System.nanoTime();
            final Runnable stateCaptured = () -> {
                still.resume();
                pauseNs[0] = System.nanoTime() - stillAt;
            };
            try {
                return store.write(serving.engine(), positionsAt(still.positions()), identity, storage, stateCaptured);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (written.isEmpty()) {
            throw new IOException("the serving engine did not settle within " + SETTLE_PATIENCE.toSeconds()
                    + " s (async writes applied ahead of their commit), or is not the database's state");
        }
        final long millis = (System.nanoTime() - startNs) / 1_000_000;
        outcomes.taken(true, millis, pauseNs[0] / 1_000_000);
        LOG.info(() -> String.format(
                "checkpoint: wrote %s (%d bytes) from the serving engine in %d ms; its writes waited %d ms",
                store.file(), written.get(), millis, pauseNs[0] / 1_000_000));
        return written.get();
    }

    /** The positions a snapshot records of {@code positions}, with each tenant's chain hash there. */
    private List<SnapshotFile.Position> positionsAt(final Map<String, Long> positions) {
        final List<SnapshotFile.Position> at = new ArrayList<>();
        for (final Map.Entry<String, Long> p : recorded(positions).entrySet()) {
            at.add(new SnapshotFile.Position(p.getKey(), p.getValue(), hashAt(p.getKey(), p.getValue())));
        }
        return at;
    }

    /**
     * Of {@code positions}, those a snapshot records, by tenant: a tenant at 0 holds nothing to record (a tenant row
     * without ops, as a merge import of an empty section leaves it), and has no op whose chain hash a position could
     * carry. The snapshot written and the heads the due check compares it with both go through here, so that such a
     * tenant does not make an idle database look ahead of its snapshot.
     */
    private static SortedMap<String, Long> recorded(final Map<String, Long> positions) {
        final SortedMap<String, Long> recorded = new TreeMap<>(positions);
        recorded.values().removeIf(seq -> seq == 0);
        return recorded;
    }

    /** Builds a separate engine up to the database's head and writes it; the serving engine is not touched. */
    private long takeFromSeparate() throws IOException {
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
                applier.rebuild(apply -> new StoredRowScreen((tenant, delta) -> {
                    stopIfAbandoned();
                    apply.accept(tenant, delta);
                }));
            }
            for (final Map.Entry<String, Long> head : storage.heads().entrySet()) {
                stopIfAbandoned();
                applier.reach(head.getKey(), head.getValue()).join();
            }
            stopIfAbandoned();
            final Map<String, Long> applied = new HashMap<>();
            for (final String tenant : storage.heads().keySet()) {
                applied.put(tenant, applier.applied(tenant));
            }
            final List<SnapshotFile.Position> positions = positionsAt(applied);
            // The vectors stored by now: at least those of the memories up to these positions that were embedded
            // before, a few later ones too (skipped on restore if the memory is not in the image).
            final long bytes = store.write(engine, positions, identity, storage, () -> {});
            final long millis = (System.nanoTime() - startNs) / 1_000_000;
            outcomes.taken(false, millis, 0);
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

    /** Ends the checkpoint a stop has abandoned: what it built is dropped, the last snapshot stands. */
    private void stopIfAbandoned() {
        if (abandoned) {
            throw new Abandoned();
        }
    }

    /** Thrown into a checkpoint by a stop; carries no stack trace, being no fault. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("the checkpoint was abandoned by a stop", null, false, false);
        }
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
            thread.join(Math.max(1, stopPatience.toMillis()));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abandoned = thread.isAlive();
    }
}
