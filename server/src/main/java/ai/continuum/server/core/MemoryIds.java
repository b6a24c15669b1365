package ai.continuum.server.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Memory ids: {@code epochMillis * 2048 + random(0..2047)}, strictly increasing within a process. They sort by time,
 * collide across processes only when two turns of one tenant land in the same millisecond with the same 11 random
 * bits, and stay below 2^53 until the year 2109, so JavaScript clients read them exactly. Thread-safe (one CAS loop).
 */
public final class MemoryIds {
    static final int RANDOM_SPAN = 2048;

    private final AtomicLong last = new AtomicLong();
    private final LongSupplier clockMillis;

    public MemoryIds(final LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    public long next() {
        final long candidate = clockMillis.getAsLong() * RANDOM_SPAN + ThreadLocalRandom.current().nextInt(RANDOM_SPAN);
        return last.updateAndGet(prev -> Math.max(prev + 1, candidate));
    }
}
