package ai.continuum.server.e2e;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.Turn;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.EngineSizing;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.snapshot.Checkpointer;
import ai.continuum.server.snapshot.SnapshotStore;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures what a background checkpoint costs the learns of the serving engine: durable learns (commit, then the
 * engine apply) from {@code CLIENTS} threads for the whole run, while checkpoints are taken back to back in the
 * middle third; each learn's latency is classed by whether a checkpoint was running at any moment of it. Prints
 * p50, p99, p99.9 and max of both classes.
 *
 * <p>Usage: {@code CheckpointPauseLoad SQLITE_DATA_DIR|POSTGRESQL_URL SECONDS}, on a seeded store (SeedGraph).
 */
public final class CheckpointPauseLoad {
    private static final int CLIENTS = 4;
    private static final String[] NAMES = {
        "Billing Service", "Harbor Bridge", "Release Train", "Payment Gateway", "Search Index", "Feature Flag"
    };

    private CheckpointPauseLoad() {}

    public static void main(final String[] args) throws Exception {
        final String target = args[0];
        final long seconds = Long.parseLong(args[1]);
        final boolean pg = target.startsWith("jdbc:") || target.startsWith("postgresql:");
        try (Storage storage = Storages.open(
                        pg ? "postgresql" : "sqlite",
                        pg ? null : Path.of(target),
                        pg ? target : null,
                        StorageSettings.defaults());
                MemoryEngine engine = MemoryEngine.create(EngineSizing.forStored(EngineConfig.defaults(), storage))) {
            final ContinuumCore core = new ContinuumCore(engine, storage, new ContinuumMetrics());
            System.out.println(core.load(null));
            final SnapshotStore store = new SnapshotStore(Path.of(System.getProperty("java.io.tmpdir"), "pause-snap"));
            final Checkpointer checkpointer = new Checkpointer(store, storage, engine.config(), 1, ms -> {});
            final AtomicInteger running = new AtomicInteger(); // checkpoints in progress
            final AtomicInteger started = new AtomicInteger(); // checkpoints begun so far
            final ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>(); // {nanos, touched 0/1}
            final AtomicBoolean stop = new AtomicBoolean();
            final List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                final int client = c;
                clients.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        final int beforeStarted = started.get();
                        final boolean during = running.get() > 0;
                        final long t0 = System.nanoTime();
                        core.learn(
                                "load",
                                new Turn(
                                        core.nextMemoryId(),
                                        "Client" + client + " asks how the " + NAMES[i % NAMES.length] + " uses "
                                                + NAMES[(i / 7) % NAMES.length] + " " + i + "?",
                                        "It calls it.",
                                        "",
                                        "pause-" + client,
                                        "{}",
                                        System.currentTimeMillis()),
                                false);
                        final long took = System.nanoTime() - t0;
                        final boolean touched = during || running.get() > 0 || started.get() != beforeStarted;
                        samples.add(new long[] {took, touched ? 1 : 0});
                    }
                }));
            }
            final long startNs = System.nanoTime();
            final long third = seconds * 1_000_000_000L / 3;
            Thread.sleep(third / 1_000_000);
            int taken = 0;
            long checkpointMs = 0;
            while (System.nanoTime() - startNs < 2 * third) {
                started.incrementAndGet();
                running.incrementAndGet();
                final long c0 = System.nanoTime();
                try {
                    final long bytes = checkpointer.takeNow();
                    taken++;
                    checkpointMs += (System.nanoTime() - c0) / 1_000_000;
                    System.out.printf(
                            Locale.ROOT,
                            "checkpoint %d: %d bytes in %d ms%n",
                            taken,
                            bytes,
                            (System.nanoTime() - c0) / 1_000_000);
                } finally {
                    running.decrementAndGet();
                }
            }
            Thread.sleep(Math.max(0, (3 * third - (System.nanoTime() - startNs)) / 1_000_000));
            stop.set(true);
            for (final Thread t : clients) {
                t.join();
            }
            core.close();
            report("learns while a checkpoint ran", samples, 1);
            report("learns with no checkpoint", samples, 0);
            System.out.printf(Locale.ROOT, "%d checkpoints, %d ms in total%n", taken, checkpointMs);
        }
    }

    private static void report(final String label, final ConcurrentLinkedQueue<long[]> samples, final int kind) {
        final long[] ns =
                samples.stream().filter(s -> s[1] == kind).mapToLong(s -> s[0]).toArray();
        Arrays.sort(ns);
        if (ns.length == 0) {
            System.out.println(label + ": none");
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "%s: n=%d p50=%.2f ms p99=%.2f ms p99.9=%.2f ms max=%.2f ms%n",
                label,
                ns.length,
                ns[ns.length / 2] / 1e6,
                ns[(int) (ns.length * 0.99)] / 1e6,
                ns[(int) (ns.length * 0.999)] / 1e6,
                ns[ns.length - 1] / 1e6);
    }
}
