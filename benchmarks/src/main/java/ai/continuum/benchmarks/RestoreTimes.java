package ai.continuum.benchmarks;

import ai.continuum.benchmarks.data.ConceptNames;
import ai.continuum.benchmarks.data.GraphGenerator;
import ai.continuum.benchmarks.data.GraphSize;
import ai.continuum.benchmarks.engine.GraphFixture;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.ImageLoadTimes;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.store.ImageInput;
import ai.continuum.engine.store.ImageOutput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a snapshot restore's engine read spends its time, part by part ({@link ImageLoadTimes}). Loads a synthetic
 * graph into an engine (as {@link Footprint}), writes its image to a temporary file once, then reads it back
 * {@code rounds} times into fresh engines sized as a starting server sizes them.
 *
 * <p>Usage: {@code java -jar benchmarks.jar restore-times [100k/500k|1M/5M] [rounds]}.
 */
public final class RestoreTimes {
    private RestoreTimes() {}

    public static void main(final String[] args) throws IOException {
        System.setProperty("chronicle.analytics.disable", "true");
        final GraphSize size = GraphSize.parse(
                Arrays.stream(args).filter(a -> a.contains("/")).findFirst().orElse("100k/500k"));
        final int rounds = Arrays.stream(args)
                .filter(a -> a.matches("\\d+"))
                .findFirst()
                .map(Integer::parseInt)
                .orElse(3);
        final EngineConfig config = EngineConfig.defaults().withExpectedConcepts(Math.max(1024, size.concepts()));
        final Path image = Files.createTempFile("continuum-restore-times", ".img");
        try {
            final long checksum;
            try (MemoryEngine engine = MemoryEngine.create(config);
                    FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
                try (MemoryEngine.BulkLoad bulk = engine.bulkLoad()) {
                    new GraphGenerator(size, GraphFixture.SEED, ConceptNames.Kind.UNIQUE)
                            .generate(delta -> bulk.apply(GraphFixture.TENANT, delta));
                }
                checksum = engine.checksum(GraphFixture.TENANT);
                final ImageOutput out = new ImageOutput(ch);
                engine.writeImage(out);
                out.flush();
            }
            System.out.printf(
                    Locale.ROOT, "graph %s, image %d bytes, load %s%n", size.label(), Files.size(image), load());
            for (int r = 1; r <= rounds; r++) {
                try (MemoryEngine engine = MemoryEngine.create(config);
                        FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
                    final ImageLoadTimes t = engine.readImage(new ImageInput(ch));
                    if (engine.checksum(GraphFixture.TENANT) != checksum) {
                        throw new IllegalStateException("the restored engine differs from the one written");
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "round %d: total %d ms (%s); load %s%n",
                            r,
                            t.totalNanos() / 1_000_000,
                            t,
                            load());
                }
            }
        } finally {
            Files.deleteIfExists(image);
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", -1)[0];
        } catch (final IOException e) {
            return "?";
        }
    }
}
