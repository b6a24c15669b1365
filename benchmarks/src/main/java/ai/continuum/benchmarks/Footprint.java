package ai.continuum.benchmarks;

import ai.continuum.benchmarks.data.GraphSize;
import ai.continuum.benchmarks.engine.GraphFixture;
import ai.continuum.engine.TenantStats;

import java.util.Locale;

/**
 * Loads a synthetic graph into a fresh engine once and prints the off-heap bytes per link (DESIGN 7 target: at most
 * 64) and the time the engine spent applying the chunks, which is the in-memory part of a rebuild. A single run, not
 * a JMH benchmark: the figure of interest is a size, and the load time is reported as a one-shot measurement.
 *
 * <p>Usage: {@code java -jar benchmarks.jar footprint [1M/5M]}.
 */
public final class Footprint {
    private Footprint() {
    }

    public static void main(final String[] args) {
        // The engine sends no telemetry; set before the first off-heap map is built in case no flag carried it.
        System.setProperty("chronicle.analytics.disable", "true");
        final GraphSize size = GraphSize.parse(args.length > 0 ? args[0] : "1M/5M");
        final long wallStart = System.nanoTime();
        final GraphFixture fixture = GraphFixture.load(size);
        final long wallNanos = System.nanoTime() - wallStart;
        try (var engine = fixture.engine()) {
            final TenantStats stats = engine.stats(GraphFixture.TENANT);
            final long offHeap = engine.offHeapBytes();
            System.out.printf(Locale.ROOT, "graph            %s%n", size.label());
            System.out.printf(Locale.ROOT, "stats            concepts=%d links=%d memories=%d%n",
                stats.concepts(), stats.links(), stats.memories());
            System.out.printf(Locale.ROOT, "off-heap bytes   %d (%.1f MiB)%n", offHeap, offHeap / 1048576.0);
            System.out.printf(Locale.ROOT, "bytes per link   %.1f (target <= 64)%n", (double) offHeap / stats.links());
            System.out.printf(Locale.ROOT, "heap used        %.1f MiB after load%n", usedHeapMiB());
            System.out.printf(Locale.ROOT, "apply time       %.2f s for all chunks (%.0f links/s)%n",
                fixture.loadNanos() / 1e9, size.links() / (fixture.loadNanos() / 1e9));
            System.out.printf(Locale.ROOT, "load wall time   %.2f s (generation + engine create + apply)%n",
                wallNanos / 1e9);
        }
    }

    private static double usedHeapMiB() {
        final Runtime rt = Runtime.getRuntime();
        System.gc();
        return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
    }
}
