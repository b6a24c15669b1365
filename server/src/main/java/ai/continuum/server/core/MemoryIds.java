package ai.continuum.server.core;

import ai.continuum.server.storage.InstanceLease;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Memory ids: {@code tick * 64 + instance}, where {@code tick} is {@code epochMillis * 32} or, when a process
 * allocates more than 32 ids in a millisecond, the previous tick plus one (strictly increasing within a process), and
 * {@code instance} is the process's number among those writing the database ({@link InstanceLease}, below
 * {@value InstanceLease#SLOTS}). So ids sort by time, never collide between live processes (their low six bits
 * differ), and stay below 2^53 until the year 2109, so JavaScript clients read them exactly. Thread-safe (one CAS loop).
 */
public final class MemoryIds {
    /** Ids per millisecond per process before the tick runs ahead of the clock. */
    static final int TICKS_PER_MILLI = 32;

    private final AtomicLong lastTick = new AtomicLong();
    private final LongSupplier clockMillis;
    private final IntSupplier instance;

    public MemoryIds(final LongSupplier clockMillis, final IntSupplier instance) {
        this.clockMillis = clockMillis;
        this.instance = instance;
    }

    public long next() {
        final long candidate = clockMillis.getAsLong() * TICKS_PER_MILLI;
        final long tick = lastTick.updateAndGet(prev -> Math.max(prev + 1, candidate));
        return tick * InstanceLease.SLOTS + instance.getAsInt();
    }
}
