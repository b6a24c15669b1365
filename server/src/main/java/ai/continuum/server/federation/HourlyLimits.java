package ai.continuum.server.federation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-node limits over a rolling hour, one per kind of call ({@link Kind}): each node has its own window, so one busy
 * node never uses up another's allowance. A limit of 0 turns that kind's limit off. Thread-safe.
 */
public final class HourlyLimits {
    private static final long HOUR_NANOS = 3_600_000_000_000L;

    /** What is counted. */
    public enum Kind {
        /** Contribute (and retract) requests: 100 an hour by default. */
        CONTRIBUTE,
        /** Every knowledge (pull) request, each page: 50 an hour. */
        REQUEST,
        /** Sync rounds: a pull's first page: 10 an hour. */
        SYNC,
        /** Status requests: 60 an hour. */
        HEARTBEAT
    }

    private final Map<Kind, Integer> limits;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Deque<Long>> windows = new ConcurrentHashMap<>();

    public HourlyLimits(final Map<Kind, Integer> limits, final LongSupplier nanoClock) {
        this.limits = Map.copyOf(limits);
        this.nanoClock = nanoClock;
    }

    /** The limits the coordinator enforces unless configured otherwise. */
    public static Map<Kind, Integer> defaults() {
        return Map.of(Kind.CONTRIBUTE, 100, Kind.REQUEST, 50, Kind.SYNC, 10, Kind.HEARTBEAT, 60);
    }

    /**
     * Counts one call of {@code kind} by {@code node} when it is within the limit.
     *
     * @return 0 when allowed (and counted), otherwise the seconds until the oldest call in the window leaves it.
     */
    public long acquire(final String node, final Kind kind) {
        final int limit = limits.getOrDefault(kind, 0);
        if (limit <= 0) {
            return 0;
        }
        final Deque<Long> window = windows.computeIfAbsent(node + "/" + kind, k -> new ArrayDeque<>());
        synchronized (window) {
            final long now = nanoClock.getAsLong();
            while (!window.isEmpty() && now - window.peekFirst() >= HOUR_NANOS) {
                window.pollFirst();
            }
            if (window.size() >= limit) {
                return Math.max(1, (HOUR_NANOS - (now - window.peekFirst())) / 1_000_000_000L);
            }
            window.addLast(now);
            return 0;
        }
    }
}
