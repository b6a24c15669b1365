package ai.continuum.server.core;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This process's memory as the operating system counts it: the limit it may use and what it holds, read from
 * {@code /proc/self/status} (Linux). Stateless.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** The memory this process may use, as the JVM sees it: the container's limit in one, else the machine's memory. */
    public static long limitBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    /**
     * The sum of the given {@code /proc/self/status} fields ({@code "VmRSS"}, {@code "RssAnon"}, ...), in bytes; empty
     * where they cannot be read (not Linux, or a kernel without one of them).
     */
    public static OptionalLong statusBytes(final String... fields) {
        try {
            long sum = 0;
            int found = 0;
            for (final String line : Files.readAllLines(STATUS)) {
                for (final String field : fields) {
                    // "RssAnon:	  123456 kB"
                    if (line.startsWith(field) && line.startsWith(":", field.length())) {
                        sum += Long.parseLong(line.substring(field.length() + 1)
                                        .replace("kB", "")
                                        .trim())
                                * 1024;
                        found++;
                    }
                }
            }
            return found == fields.length ? OptionalLong.of(sum) : OptionalLong.empty();
        } catch (final IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
