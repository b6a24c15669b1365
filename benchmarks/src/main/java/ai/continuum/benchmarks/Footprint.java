package ai.continuum.benchmarks;

import ai.continuum.benchmarks.data.ConceptNames;
import ai.continuum.benchmarks.data.GeneratedGraph;
import ai.continuum.benchmarks.data.GraphGenerator;
import ai.continuum.benchmarks.data.GraphSize;
import ai.continuum.benchmarks.engine.GraphFixture;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.TenantStats;
import java.util.Arrays;
import java.util.Locale;

/**
 * Loads a synthetic graph into a fresh engine once and prints the off-heap bytes per link (docs/DESIGN.md section 8 target: at most
 * 64), split by load phase (concepts, then links, then memories, as the generator emits them), and the time the
 * engine spent applying the chunks, which is the in-memory part of a rebuild. The arena grows in chunks (up to 16 MiB
 * each), so the per-phase split is exact only to that granularity (fine at 1M/5M, coarse at 100k/500k). A single run, not a JMH
 * benchmark: the figure of interest is a size, and the load time is a one-shot measurement.
 *
 * <p>The load goes through {@link MemoryEngine#bulkLoad}, the engine's rebuild path (adjacency ordered once at the
 * end, included in the time); {@code --apply} loads through plain {@link MemoryEngine#apply} instead.
 *
 * <p>{@code --shared-words} loads the word-sharing graph ({@link ConceptNames.Kind#SHARED}) instead of unique names.
 *
 * <p>Usage: {@code java -jar benchmarks.jar footprint [1M/5M] [--apply] [--shared-words]}.
 */
public final class Footprint {
    private Footprint() {}

    public static void main(final String[] args) {
        // The engine sends no telemetry; set before the first off-heap map is built in case no flag carried it.
        System.setProperty("chronicle.analytics.disable", "true");
        final boolean plainApply = Arrays.asList(args).contains("--apply");
        final ConceptNames.Kind names =
                Arrays.asList(args).contains("--shared-words") ? ConceptNames.Kind.SHARED : ConceptNames.Kind.UNIQUE;
        final GraphSize size = GraphSize.parse(
                Arrays.stream(args).filter(a -> !a.startsWith("--")).findFirst().orElse("1M/5M"));
        final long wallStart = System.nanoTime();
        try (MemoryEngine engine =
                MemoryEngine.create(EngineConfig.defaults().withExpectedConcepts(Math.max(1024, size.concepts())))) {
            final long empty = engine.offHeapBytes();
            final Phases phases = new Phases();
            final MemoryEngine.BulkLoad bulk = plainApply ? null : engine.bulkLoad();
            final GeneratedGraph graph = new GraphGenerator(size, GraphFixture.SEED, names).generate(delta -> {
                if (!delta.links().isEmpty() && phases.afterConcepts < 0) {
                    phases.afterConcepts = engine.offHeapBytes();
                }
                if (!delta.memories().isEmpty() && phases.afterLinks < 0) {
                    phases.afterLinks = engine.offHeapBytes();
                }
                final long start = System.nanoTime();
                if (bulk == null) {
                    engine.apply(GraphFixture.TENANT, delta);
                } else {
                    bulk.apply(GraphFixture.TENANT, delta);
                }
                phases.applyNanos += System.nanoTime() - start;
            });
            if (bulk != null) {
                final long start = System.nanoTime();
                bulk.close();
                phases.applyNanos += System.nanoTime() - start;
            }
            final long wallNanos = System.nanoTime() - wallStart;
            final TenantStats stats = engine.stats(GraphFixture.TENANT);
            final long total = engine.offHeapBytes();
            row("graph", size.label() + ", max degree " + graph.maxDegree() + ", names " + names);
            row("stats", "concepts=" + stats.concepts() + " links=" + stats.links() + " memories=" + stats.memories());
            row("off-heap total", mib(total));
            row(
                    "bytes per link",
                    String.format(
                            Locale.ROOT,
                            "%.1f (all off-heap bytes / links; target <= 64)",
                            (double) total / stats.links()));
            row("  empty engine", mib(empty));
            row(
                    "  concepts",
                    mib(phases.afterConcepts - empty)
                            + perItem(phases.afterConcepts - empty, stats.concepts(), "concept"));
            row(
                    "  links",
                    mib(phases.afterLinks - phases.afterConcepts)
                            + perItem(phases.afterLinks - phases.afterConcepts, stats.links(), "link"));
            row(
                    "  memories",
                    mib(total - phases.afterLinks) + perItem(total - phases.afterLinks, stats.memories(), "memory"));
            row("heap used", String.format(Locale.ROOT, "%.1f MiB after load", usedHeapMiB()));
            row(
                    "apply time",
                    String.format(
                            Locale.ROOT,
                            "%.2f s for all chunks through %s (%.0f links/s)",
                            phases.applyNanos / 1e9,
                            plainApply ? "apply" : "bulkLoad",
                            size.links() / (phases.applyNanos / 1e9)));
            row(
                    "load wall time",
                    String.format(Locale.ROOT, "%.2f s (engine create + generation + apply)", wallNanos / 1e9));
        }
    }

    private static void row(final String name, final String value) {
        System.out.printf(Locale.ROOT, "%-16s %s%n", name, value);
    }

    private static String mib(final long bytes) {
        return String.format(Locale.ROOT, "%d bytes (%.1f MiB)", bytes, bytes / 1048576.0);
    }

    private static String perItem(final long bytes, final long items, final String item) {
        return String.format(Locale.ROOT, ", %.1f bytes per %s", (double) bytes / items, item);
    }

    private static double usedHeapMiB() {
        final Runtime rt = Runtime.getRuntime();
        System.gc();
        return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
    }

    /** Off-heap size sampled at the phase boundaries of the load, and the time spent in apply. */
    private static final class Phases {
        long afterConcepts = -1;
        long afterLinks = -1;
        long applyNanos;
    }
}
