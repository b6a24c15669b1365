package ai.continuum.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.Turn;
import ai.continuum.server.LogCapture;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.storage.Storage;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * What the tests of the {@link Checkpointer}'s thread share: turns stored, a snapshot they moved past, checkpointers
 * every second, outcomes counted, storage calls intercepted.
 */
final class CheckpointFixtures {
    /** What the checkpointer logs, once, when a stop abandons its checkpoint. */
    static final String ABANDONED = "checkpoint abandoned: the server is stopping (the snapshot on disk is unchanged)";
    /** How long a case waits for what it expects before it fails. */
    static final long WAIT_SECONDS = 30;

    private CheckpointFixtures() {}

    /** Counts the checkpointer's outcomes. */
    static final class Counted implements Checkpointer.Outcomes {
        final AtomicInteger taken = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void taken(final boolean fromServing, final long millis, final long pausedMillis) {
            taken.incrementAndGet();
        }

        @Override
        public void failed() {
            failures.incrementAndGet();
        }
    }

    /** Runs before each call a storage proxy passes on; what it throws, the call throws. */
    @FunctionalInterface
    interface BeforeCall {
        void before(Method method) throws Exception;
    }

    /** {@code storage}, each of whose calls runs {@code before} first. */
    static Storage intercepted(final Storage storage, final BeforeCall before) {
        return (Storage) Proxy.newProxyInstance(
                Storage.class.getClassLoader(), new Class<?>[] {Storage.class}, (proxy, method, args) -> {
                    before.before(method);
                    try {
                        return method.invoke(storage, args);
                    } catch (final InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The messages logged at WARNING or above, each with its exception. */
    static List<String> warnings(final LogCapture log) {
        return log.atLeast(Level.WARNING).stream()
                .map(r -> r.getMessage() + thrown(r))
                .toList();
    }

    private static String thrown(final LogRecord record) {
        return record.getThrown() == null ? "" : ": " + record.getThrown();
    }

    /**
     * Whether the caller is the checkpointer's check whether a checkpoint is due: not the checkpoint, nor the store's
     * check of the snapshot. Found by the method's name: should it change, the cases that count or fail the check
     * fail (the check is never seen).
     */
    static boolean inTheDueCheck() {
        return StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(f -> f.getClassName().equals(Checkpointer.class.getName())
                        && f.getMethodName().equals("holdsEveryHead")));
    }

    /**
     * A snapshot in {@code snapshots} of {@code storage}'s turns, which then gets more: the next checkpoint is due its
     * interval later, and its due check finds the database ahead.
     */
    static SnapshotStore snapshotBehind(final Storage storage, final Path snapshots) throws IOException {
        final SnapshotStore store = new SnapshotStore(snapshots);
        learn(storage, 20);
        assertTrue(new Checkpointer(store, storage, EngineConfig.defaults(), 600, ms -> {}).takeNow() > 0);
        learn(storage, 5);
        return store;
    }

    /**
     * A checkpointer of a separate engine every second, the shortest interval a configuration gives (0 is no
     * checkpoints), the first as the snapshot's age allows.
     */
    static Checkpointer everySecond(
            final SnapshotStore store, final Storage storage, final Counted outcomes, final long patienceSeconds) {
        return new Checkpointer(
                        store, storage, EngineConfig.defaults(), 1, Checkpointer.Source.SEPARATE, null, outcomes)
                .timing(Duration.ZERO, Duration.ofSeconds(patienceSeconds));
    }

    /** Learns {@code n} turns for tenant acme into {@code storage}. */
    static void learn(final Storage storage, final int n) {
        final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults());
        try (ContinuumCore core = new ContinuumCore(engine, storage, new ContinuumMetrics())) {
            core.load(null);
            for (int t = 0; t < n; t++) {
                core.learn(
                        "acme",
                        new Turn(
                                core.nextMemoryId(),
                                "How does the Harbor Bridge " + t + " use the Release Train?",
                                "The Search Index calls it.",
                                "",
                                "s" + (t % 3),
                                "{}",
                                1_700_000_000_000L + t * 60_000L),
                        false);
            }
        } finally {
            engine.close();
        }
    }
}
