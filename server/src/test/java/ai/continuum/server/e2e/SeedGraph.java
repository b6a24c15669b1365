package ai.continuum.server.e2e;

import ai.continuum.engine.Delta;
import ai.continuum.server.storage.PostgresStorage;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Seeds a database for load runs and scale checks: the benchmarks' generated graph (e.g. 100k concepts / 500k links,
 * or 1M / 5M) is written through the storage's own write path ({@link Storage#submit}: the write-behind writer, group
 * commit, change log), so the service rebuilds it on start exactly as it rebuilds learned state. Also writes recall
 * request bodies naming existing concepts, and prints the seeding throughput per kind of record.
 *
 * <p>Usage: {@code SeedGraph TARGET TENANT SIZE SEED BODIES_FILE}, with the benchmarks module's classes on the class
 * path. {@code TARGET} is a SQLite data directory, or a PostgreSQL connection string ({@code jdbc:postgresql://...}
 * or {@code postgresql://...}). The generator is reached by name because the server must not depend on the
 * benchmarks module.
 *
 * <p>At most {@value #IN_FLIGHT} deltas wait for their commit at a time, so the heap holds a bounded slice of the
 * graph rather than all of it (a 1M/5M graph as delta records is several GB).
 */
public final class SeedGraph {
    private static final int QUERIES = 2_000;
    private static final int IN_FLIGHT = 16;

    private SeedGraph() {}

    public static void main(final String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: SeedGraph SQLITE_DATA_DIR|POSTGRESQL_URL TENANT SIZE SEED BODIES_FILE");
            System.exit(2);
        }
        final String target = args[0];
        final String tenant = args[1];
        final long seed = Long.parseLong(args[3]);
        final Generator generator = Generator.create(args[2], seed);
        final Progress progress = new Progress();
        try (Storage storage = open(target)) {
            final ArrayDeque<CompletableFuture<?>> pending = new ArrayDeque<>();
            generator.generate(delta -> {
                final Kind kind = Kind.of(delta);
                if (progress.isNewPhase(kind)) {
                    drain(pending);
                    progress.startPhase(kind);
                }
                if (pending.size() == IN_FLIGHT) {
                    pending.removeFirst().join();
                }
                pending.addLast(storage.submit(new StorageOp.Apply(tenant, delta)));
                progress.submitted(kind.records(delta));
            });
            drain(pending);
            progress.endPhase();
        }
        System.out.printf(
                Locale.ROOT,
                "seeded %s (seed %d) for tenant %s into %s%n",
                args[2],
                seed,
                tenant,
                isPostgres(target) ? "PostgreSQL" : "SQLite at " + target);
        progress.print(System.out);
        writeBodies(Path.of(args[4]), generator.concepts(), generator::displayName, seed);
    }

    private static void drain(final ArrayDeque<CompletableFuture<?>> pending) {
        while (!pending.isEmpty()) {
            pending.removeFirst().join();
        }
    }

    private static boolean isPostgres(final String target) {
        return target.startsWith("jdbc:postgresql:")
                || target.startsWith("postgresql://")
                || target.startsWith("postgres://");
    }

    private static Storage open(final String target) {
        return isPostgres(target)
                ? PostgresStorage.open(target, StorageSettings.defaults())
                : SqliteStorage.open(Path.of(target), StorageSettings.defaults());
    }

    /** The one kind of record a generator delta holds (the generator never mixes them). */
    private enum Kind {
        CONCEPTS,
        LINKS,
        MEMORIES;

        static Kind of(final Delta delta) {
            if (!delta.concepts().isEmpty()) {
                return CONCEPTS;
            }
            return delta.links().isEmpty() ? MEMORIES : LINKS;
        }

        int records(final Delta delta) {
            return switch (this) {
                case CONCEPTS -> delta.concepts().size();
                case LINKS -> delta.links().size();
                case MEMORIES -> delta.memories().size();
            };
        }
    }

    /**
     * Time per phase (one kind of record): a phase starts once every delta of the previous one has committed and ends
     * when its own last delta has, so each kind's rate is its own. Main thread only.
     */
    private static final class Progress {
        private final long startNs = System.nanoTime();
        private final Map<Kind, Totals> totals = new EnumMap<>(Kind.class);
        private Kind current;
        private long phaseStartNs;

        /** One phase's counts. */
        private static final class Totals {
            long records;
            long deltas;
            long phaseNs;
        }

        Progress() {
            for (final Kind kind : Kind.values()) {
                totals.put(kind, new Totals());
            }
        }

        boolean isNewPhase(final Kind kind) {
            return kind != current;
        }

        void startPhase(final Kind kind) {
            endPhase();
            current = kind;
            phaseStartNs = System.nanoTime();
        }

        void submitted(final int count) {
            final Totals t = totals.get(current);
            t.records += count;
            t.deltas++;
        }

        void endPhase() {
            if (current != null) {
                totals.get(current).phaseNs += System.nanoTime() - phaseStartNs;
            }
        }

        void print(final PrintStream out) {
            long total = 0;
            for (final Kind kind : Kind.values()) {
                final Totals t = totals.get(kind);
                total += t.records;
                final double seconds = t.phaseNs / 1e9;
                out.printf(
                        Locale.ROOT,
                        "  %-8s %,10d records in %4d deltas, %7.1f s, %,9.0f records/s%n",
                        kind.name().toLowerCase(Locale.ROOT),
                        t.records,
                        t.deltas,
                        seconds,
                        t.records / seconds);
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            out.printf(
                    Locale.ROOT,
                    "  total    %,10d records, %.1f s (storage open and close included), " + "%,.0f records/s%n",
                    total,
                    seconds,
                    total / seconds);
        }
    }

    /** One JSON recall body per line, each naming two existing concepts, alternating max_memories 0 and 5. */
    private static void writeBodies(
            final Path file, final int concepts, final IntFunction<String> name, final long seed) throws IOException {
        final SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        final List<String> lines = new ArrayList<>(QUERIES);
        for (int i = 0; i < QUERIES; i++) {
            final String a = name.apply(random.nextInt(concepts));
            final String b = name.apply(random.nextInt(concepts));
            lines.add("{\"message\":\"What do we know about " + a + " and " + b + "?\",\"max_memories\":"
                    + (i % 2 == 0 ? 0 : 5) + "}");
        }
        Files.write(file, lines);
    }

    /** The benchmarks' GraphGenerator and its NameTable, reached reflectively. */
    private record Generator(Object generator, Object names, int concepts) {
        static Generator create(final String size, final long seed) throws ReflectiveOperationException {
            final Class<?> sizeType = Class.forName("ai.continuum.benchmarks.data.GraphSize");
            final Object graphSize = sizeType.getMethod("parse", String.class).invoke(null, size);
            final Class<?> type = Class.forName("ai.continuum.benchmarks.data.GraphGenerator");
            final Object generator = type.getConstructor(sizeType, long.class).newInstance(graphSize, seed);
            final Object names = type.getMethod("names").invoke(generator);
            final int concepts = (int) sizeType.getMethod("concepts").invoke(graphSize);
            return new Generator(generator, names, concepts);
        }

        void generate(final Consumer<Delta> sink) throws ReflectiveOperationException {
            generator.getClass().getMethod("generate", Consumer.class).invoke(generator, sink);
        }

        String displayName(final int id) {
            try {
                return (String)
                        names.getClass().getMethod("displayName", int.class).invoke(names, id);
            } catch (final IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
                throw new IllegalStateException("NameTable.displayName is not callable", e);
            }
        }
    }
}
