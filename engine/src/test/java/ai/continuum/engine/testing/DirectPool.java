package ai.continuum.engine.testing;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JDK's pool of direct buffers, as tests that check what an engine holds and returns read it.
 *
 * <p>The tests of a fork share its JVM: buffers an earlier test dropped are freed by whichever collection comes next,
 * and one falling inside a measurement would make an engine look smaller than it is. {@link #settledBytes} collects
 * them first, so that what changes afterwards is the test's own.
 */
public final class DirectPool {
    private DirectPool() {}

    /** Bytes the JDK's direct buffers hold now. */
    public static long bytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    /** Bytes held once every unreachable direct buffer has been collected and freed: the pool stopped shrinking. */
    public static long settledBytes() throws InterruptedException {
        long last = Long.MAX_VALUE;
        for (int round = 0; round < 50; round++) {
            System.gc();
            Thread.sleep(20); // the JDK's cleaner thread frees the collected buffers after the collection
            final long now = bytes();
            if (now >= last) {
                return now;
            }
            last = now;
        }
        return last;
    }
}
