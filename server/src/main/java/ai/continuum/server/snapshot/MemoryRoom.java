package ai.continuum.server.snapshot;

import ai.continuum.server.core.ProcessMemory;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether this process has room for a second engine beside what it holds now, within the memory it may use (the
 * container's limit, or the machine's memory outside one).
 *
 * <p>A separate checkpoint engine costs about the serving engine's off-heap bytes again, plus the heap its load
 * churns: measured, a 118 MiB engine's checkpoint raised the container's anonymous memory by 112-141 MiB
 * (benchmarks/RESULTS.md, "A real 256 MiB container"). So a second engine fits when the resident set plus
 * {@link #ENGINE_FACTOR} times the engine stays under {@link #USABLE_FRACTION} of the limit, which leaves the rest to
 * the page cache the container is also charged for. And the engine's buffers must fit in the JVM's direct memory
 * beside the ones in use (the off-heap bytes counted as direct, a bound: the dictionary is mapped, not direct); else
 * the checkpoint's engine fails with {@code OutOfMemoryError: Cannot reserve ... direct buffer memory}, as it did on a
 * 128 MiB default direct limit.
 *
 * @param limitBytes       the memory this process may use.
 * @param residentBytes    what it holds now.
 * @param directLimitBytes the JVM's direct memory limit.
 * @param directUsedBytes  the direct memory in use.
 */
public record MemoryRoom(long limitBytes, long residentBytes, long directLimitBytes, long directUsedBytes) {
    static final double ENGINE_FACTOR = 1.5;
    static final double USABLE_FRACTION = 0.9;

    /** Whether a second engine of {@code engineBytes} off-heap bytes fits (see the class comment). */
    public boolean fitsAnother(final long engineBytes) {
        return residentBytes + ENGINE_FACTOR * engineBytes <= USABLE_FRACTION * limitBytes
                && directUsedBytes + engineBytes <= directLimitBytes;
    }

    /**
     * This process's room: the JVM's view of the memory it may use (the cgroup limit in a container) and the resident
     * set from {@code /proc/self/status}. Where the resident set cannot be read (not Linux), the JVM's committed heap
     * and non-heap memory stand in for it; that leaves out the off-heap engine, so the answer then errs towards room
     * (a separate engine, as every checkpoint was built before the choice existed).
     */
    public static MemoryRoom ofThisProcess() {
        return new MemoryRoom(
                ProcessMemory.limitBytes(),
                ProcessMemory.statusBytes("VmRSS").orElseGet(MemoryRoom::committedByTheJvm),
                directLimit(),
                directUsed());
    }

    /** {@code -XX:MaxDirectMemorySize}, whose default (0) means the maximum heap. */
    private static long directLimit() {
        final long set = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MaxDirectMemorySize")
                .getValue());
        return set > 0 ? set : Runtime.getRuntime().maxMemory();
    }

    private static long directUsed() {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    private static long committedByTheJvm() {
        final var memory = ManagementFactory.getMemoryMXBean();
        return memory.getHeapMemoryUsage().getCommitted()
                + memory.getNonHeapMemoryUsage().getCommitted();
    }
}
