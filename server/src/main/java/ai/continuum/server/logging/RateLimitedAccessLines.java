package ai.continuum.server.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Samples the access lines of refused requests (429, such as the per-key rate limit's): per client address, the first refusal of each minute is written, the rest are only counted, and the next line written
 * for that address says how many were left out. So a client hammering past its limit costs one line a minute, not one
 * per request, and every refusal is still counted in {@code continuum_access_lines_429_total{outcome}}. Thread-safe.
 */
public final class RateLimitedAccessLines {
    static final long WINDOW_NS = TimeUnit.MINUTES.toNanos(1);
    /** Addresses tracked at once; past it the table starts over (a few extra lines, never unbounded memory). */
    static final int MAX_TRACKED = 100_000;

    /** Whether to write the line, and how many refusals from the address were left out before it. */
    public record Decision(boolean write, long leftOut) {}

    private record Window(AtomicLong startNs, AtomicLong leftOut) {}

    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedAccessLines(final LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** A rate-limited request from {@code remote} is being logged: write its line, or count it. */
    public Decision refused(final String remote) {
        if (windows.size() >= MAX_TRACKED) {
            windows.clear();
        }
        final long now = nanoClock.getAsLong();
        final Window w =
                windows.computeIfAbsent(remote, r -> new Window(new AtomicLong(now - WINDOW_NS), new AtomicLong()));
        final long start = w.startNs().get();
        if (now - start >= WINDOW_NS && w.startNs().compareAndSet(start, now)) {
            return new Decision(true, w.leftOut().getAndSet(0));
        }
        w.leftOut().incrementAndGet();
        return new Decision(false, 0);
    }
}
