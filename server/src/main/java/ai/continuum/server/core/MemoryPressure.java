package ai.continuum.server.core;

import ai.continuum.server.config.ServerConfig;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether this process is too near its memory limit to take in more data. Past the limit the kernel kills the process
 * (a container's limit) or the machine pages: every learn adds to the engine, the heap and SQLite's caches, so a
 * client streaming learns could get a service that serves its reads well within its limit killed (measured: the
 * 100k/500k store in a 256 MiB container serves recalls at about 190 MiB, and 20 s of durable learns at 16 connections
 * took it from 191 to 242 MiB and over; benchmarks/RESULTS.md, "The 100k/500k service and the 256 MiB pod").
 *
 * <p>Writes that add data ({@link ContinuumCore#learn}, {@code store}, {@code importState}) are refused while the
 * memory the process cannot give back without swap, {@code RssAnon + RssShmem}, is at or above {@code percent} of the
 * limit, and accepted again once it is below {@code percent - }{@value #RESUME_MARGIN_PERCENT}: the margin keeps one
 * learn's growth from flapping the state. Reads, forgets and prunes are never refused. Where the resident memory
 * cannot be read (not Linux), nothing is refused.
 *
 * <p>While refusing, it asks the JVM for a full collection at most every {@link #COLLECT_NANOS}: the heap grows into
 * its share of the limit under load (the garbage of the refused requests among it) and gives back what a full
 * collection frees (the launcher's {@code MaxHeapFreeRatio}); without that, a 256 MiB container that had crossed the
 * line stayed above the margin after the load was gone, refusing for good.
 *
 * <p>Thread model: any thread asks; the first to ask after {@link #SAMPLE_NANOS} reads {@code /proc/self/status}
 * (tens of microseconds) for everyone, so the cost per write stays a clock read.
 */
public final class MemoryPressure {
    /** Never refuses. */
    public static final MemoryPressure OFF = new MemoryPressure(0, 0, OptionalLong::empty, System::nanoTime, () -> {});
    /** Points below the refusing threshold at which writes are accepted again. */
    public static final int RESUME_MARGIN_PERCENT = 5;

    static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Least time between two full collections asked for while refusing: a pause of tens of ms each. */
    static final long COLLECT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final System.Logger LOG = System.getLogger(MemoryPressure.class.getName());

    private final long limitBytes;
    private final int percent;
    private final Supplier<OptionalLong> resident;
    private final LongSupplier nanoClock;
    private final Runnable collect;
    private final AtomicLong nextSampleNanos;
    /** When a collection was last asked for; read and written by whichever thread samples (one at a time). */
    private volatile long lastCollectNanos;

    private volatile boolean refusing;
    /** The last resident reading, bytes; -1 before the first. */
    private volatile long lastResident = -1;

    /**
     * @param limitBytes the memory the process may use.
     * @param percent    the share of it at which writes are refused; 0 never refuses, else
     *                   {@link ServerConfig#MIN_MEMORY_WRITE_LIMIT_PERCENT}..99.
     * @param resident   the memory the process holds and cannot give back, bytes; empty where it cannot be read.
     * @param nanoClock  {@link System#nanoTime} but in tests.
     * @param collect    asks for a full collection ({@link System#gc}) but in tests.
     */
    MemoryPressure(
            final long limitBytes,
            final int percent,
            final Supplier<OptionalLong> resident,
            final LongSupplier nanoClock,
            final Runnable collect) {
        if (percent != 0 && (percent < ServerConfig.MIN_MEMORY_WRITE_LIMIT_PERCENT || percent > 99)) {
            throw new IllegalArgumentException("memory write limit " + percent + "% must be 0 (off) or "
                    + ServerConfig.MIN_MEMORY_WRITE_LIMIT_PERCENT + "..99");
        }
        this.limitBytes = limitBytes;
        this.percent = percent;
        this.resident = resident;
        this.nanoClock = nanoClock;
        this.collect = collect;
        this.nextSampleNanos = new AtomicLong(nanoClock.getAsLong());
        this.lastCollectNanos = nanoClock.getAsLong() - COLLECT_NANOS;
    }

    /**
     * Against {@code limitBytes}, with the held memory read from {@code resident} (sampled as {@link #refusing} says):
     * for a process whose memory is read elsewhere, and for tests.
     */
    public static MemoryPressure reading(
            final long limitBytes, final int percent, final Supplier<OptionalLong> resident) {
        return new MemoryPressure(limitBytes, percent, resident, System::nanoTime, System::gc);
    }

    /** This process, against the limit the JVM sees ({@link ProcessMemory}); {@code percent} 0 is {@link #OFF}. */
    public static MemoryPressure ofThisProcess(final int percent) {
        return percent == 0
                ? OFF
                : reading(ProcessMemory.limitBytes(), percent, () -> ProcessMemory.statusBytes("RssAnon", "RssShmem"));
    }

    /** Whether writes that add data are refused now. */
    public boolean refusing() {
        if (percent == 0) {
            return false;
        }
        final long now = nanoClock.getAsLong();
        final long next = nextSampleNanos.get();
        if (now - next >= 0 && nextSampleNanos.compareAndSet(next, now + SAMPLE_NANOS)) {
            sample();
        }
        return refusing;
    }

    /** Throws {@link MemoryPressureException} while {@link #refusing}. */
    public void admitData() {
        if (refusing()) {
            throw new MemoryPressureException(lastResident, limitBytes, percent);
        }
    }

    private void sample() {
        evaluate();
        final long now = nanoClock.getAsLong();
        if (refusing && now - lastCollectNanos >= COLLECT_NANOS) {
            lastCollectNanos = now;
            collect.run(); // the next sample, SAMPLE_NANOS on, sees what it gave back
        }
    }

    private void evaluate() {
        final OptionalLong reading = resident.get();
        if (reading.isEmpty() || limitBytes <= 0) {
            refusing = false;
            return;
        }
        final long held = reading.getAsLong();
        lastResident = held;
        if (!refusing && held >= limitBytes / 100 * percent) {
            refusing = true;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "memory: " + MemoryPressureException.mib(held) + " MiB held of a "
                            + MemoryPressureException.mib(limitBytes)
                            + " MiB limit (at least " + percent
                            + "%): refusing learns, stored memories and imports until"
                            + " below " + (percent - RESUME_MARGIN_PERCENT) + "%; reads, forgets and prunes go on");
        } else if (refusing && held < limitBytes / 100 * (percent - RESUME_MARGIN_PERCENT)) {
            refusing = false;
            LOG.log(
                    System.Logger.Level.INFO,
                    "memory: " + MemoryPressureException.mib(held) + " MiB held of a "
                            + MemoryPressureException.mib(limitBytes) + " MiB limit: accepting writes again");
        }
    }
}
