package ai.continuum.server.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per client, held in this process. Buckets are created on first use; when the map grows past
 * {@link #MAX_BUCKETS}, full buckets (which behave exactly like new ones) are dropped. Thread-safe.
 */
public final class RateLimiter implements ClientLimiter {
    static final int MAX_BUCKETS = 100_000;

    private final int perMinute;
    private final int burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** @param perMinute sustained rate; 0 turns limiting off. */
    public RateLimiter(final int perMinute, final int burst, final LongSupplier nanoClock) {
        this.perMinute = perMinute;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    @Override
    public boolean enabled() {
        return perMinute > 0;
    }

    @Override
    public int perMinute() {
        return perMinute;
    }

    /** Whether {@code client} has spent its bucket (a client never seen has not). Takes no token. */
    public boolean exhausted(final String client) {
        final TokenBucket bucket = buckets.get(client);
        return enabled() && bucket != null && !bucket.hasToken(nanoClock.getAsLong());
    }

    @Override
    public TokenBucket.Decision tryAcquire(final String client) {
        final long nowNs = nanoClock.getAsLong();
        if (buckets.size() >= MAX_BUCKETS) {
            buckets.values().removeIf(b -> b.isFull(nowNs));
        }
        return buckets.computeIfAbsent(client, c -> new TokenBucket(perMinute, burst, nowNs))
                .tryAcquire(nowNs);
    }
}
