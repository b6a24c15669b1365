package ai.continuum.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM and process series the resource-usage dashboard and the memory alert read (deploy/monitoring): present in
 * the scrape under the names they query, with plausible values.
 */
class ProcessMetersTest {
    private final ContinuumMetrics metrics = new ContinuumMetrics();

    @Test
    void resourceSeriesAreExposedUnderTheDashboardsNames() {
        metrics.bindStorage(() -> 3, 10_000, () -> true);
        final String text = metrics.scrape();
        for (final String series : new String[] {
            "jvm_memory_used_bytes{area=\"heap\"",
            "jvm_memory_used_bytes{area=\"nonheap\"",
            "jvm_buffer_memory_used_bytes{id=\"direct\"}",
            "jvm_gc_collection_seconds_total{gc=",
            "jvm_gc_collections_total{gc=",
            "jvm_threads_live_threads ",
            "process_cpu_usage ",
            "system_cpu_usage ",
            "process_files_open_files ",
            "process_uptime_seconds ",
            "continuum_storage_queue_depth ",
            "continuum_storage_queue_capacity "
        }) {
            assertTrue(text.contains(series), "missing " + series);
        }
        assertEquals(10_000.0, value(text, "continuum_storage_queue_capacity"));
    }

    @Test
    void residentMemoryIsBelowTheLimitTheJvmSees() {
        final String text = metrics.scrape();
        final double rss = value(text, "process_resident_memory_bytes");
        final double limit = value(text, "continuum_memory_limit_bytes");
        final long heapUsed =
                Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(rss > heapUsed / 2.0, "RSS " + rss + " covers at least part of the heap in use " + heapUsed);
        assertTrue(rss < limit, "RSS " + rss + " below the memory limit " + limit);
    }

    private static double value(final String text, final String name) {
        final Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no sample of " + name);
        return Double.parseDouble(m.group(1));
    }
}
