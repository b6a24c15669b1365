package ai.continuum.server.e2e;

import ai.continuum.engine.Delta;
import ai.continuum.server.storage.PostgresStorage;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Seeds a database for HTTP load runs: the benchmarks' generated graph (e.g. 100k concepts / 500k links) is written
 * through the storage's own write path ({@link Storage#submit}), so the service rebuilds it on start exactly as it
 * rebuilds learned state. Also writes recall request bodies naming existing concepts.
 *
 * <p>Usage: {@code SeedGraph DATA_DIR|CONNECTION_STRING TENANT SIZE SEED BODIES_FILE}, with the benchmarks module's
 * classes on the class path: a data directory seeds SQLite, a PostgreSQL connection string ({@code jdbc:postgresql:},
 * {@code postgresql://}) seeds PostgreSQL. The generator is reached by name because the server must not depend on
 * the benchmarks module.
 */
public final class SeedGraph {
    private static final int QUERIES = 2_000;

    private SeedGraph() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: SeedGraph DATA_DIR|CONNECTION_STRING TENANT SIZE SEED BODIES_FILE");
            System.exit(2);
        }
        final String target = args[0];
        final boolean postgres = target.startsWith("jdbc:postgresql:") || target.startsWith("postgres");
        final String tenant = args[1];
        final long seed = Long.parseLong(args[3]);
        final Generator generator = Generator.create(args[2], seed);
        final long start = System.nanoTime();
        final List<CompletableFuture<Storage.ContinuityHead>> commits = new ArrayList<>();
        try (Storage storage = postgres ? PostgresStorage.open(target, StorageSettings.defaults())
            : SqliteStorage.open(Path.of(target), StorageSettings.defaults())) {
            generator.generate(delta -> commits.add(storage.submit(new StorageOp.Apply(tenant, delta))));
            CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new)).join();
        }
        System.out.printf("seeded %s into %s: %d deltas committed in %d ms%n", args[2],
            postgres ? "PostgreSQL" : target, commits.size(),
            (System.nanoTime() - start) / 1_000_000);
        writeBodies(Path.of(args[4]), generator.concepts(), generator::displayName, seed);
    }

    /** One JSON recall body per line, each naming two existing concepts, alternating max_memories 0 and 5. */
    private static void writeBodies(final Path file, final int concepts, final IntFunction<String> name,
                                    final long seed) throws IOException {
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
                return (String) names.getClass().getMethod("displayName", int.class).invoke(names, id);
            } catch (final IllegalAccessException | NoSuchMethodException | InvocationTargetException e) {
                throw new IllegalStateException("NameTable.displayName is not callable", e);
            }
        }
    }
}
