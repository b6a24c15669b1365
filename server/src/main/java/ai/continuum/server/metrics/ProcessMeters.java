package ai.continuum.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JVM and process series for the resource-usage dashboard and the memory alert: heap and non-heap pools, direct and
 * mapped buffers (off-heap), GC, threads, classes, CPU, open files, uptime (Micrometer's binders), plus the resident
 * set size and the memory the process may use.
 *
 * <p>GC is read from the collectors' MXBeans at scrape time rather than through Micrometer's GC binder, which installs
 * JMX listeners that outlive the registry (one server per test would leak them).
 */
final class ProcessMeters {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMeters() {}

    static void bindTo(final MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            FunctionCounter.builder("jvm.gc.collection.seconds", gc, g -> Math.max(0, g.getCollectionTime()) / 1000.0)
                    .description("time spent in this collector (approximate wall time)")
                    .tag("gc", gc.getName())
                    .register(registry);
            FunctionCounter.builder("jvm.gc.collections", gc, g -> Math.max(0, g.getCollectionCount()))
                    .description("collections by this collector")
                    .tag("gc", gc.getName())
                    .register(registry);
        }
        if (Files.isReadable(STATUS)) {
            Gauge.builder("process.resident.memory", ProcessMeters::residentBytes)
                    .baseUnit("bytes")
                    .description("resident set size of the process (Linux /proc/self/status VmRSS)")
                    .register(registry);
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            // The JVM reads the container's cgroup limit here when there is one, so RSS / limit is the share of the
            // container's memory in use (the memory alert), without cAdvisor.
            Gauge.builder("continuum.memory.limit", os, com.sun.management.OperatingSystemMXBean::getTotalMemorySize)
                    .baseUnit("bytes")
                    .description("memory the process may use: the container's limit, else the machine's")
                    .register(registry);
        }
    }

    /** VmRSS in bytes, or NaN when it cannot be read (the gauge then reports no value). */
    private static double residentBytes() {
        try {
            for (final String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
