package ai.continuum.server.ratelimit;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at {@code perMinute} tokens a minute. Time is passed
 * in (nanoseconds, monotonic) so the bucket is deterministic under test. Thread-safe (synchronised; the critical
 * section is a few arithmetic operations).
 */
public final class TokenBucket {
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final int capacity;
    private final double tokensPerNano;
    private double tokens;
    private long lastRefillNs;

    /** Outcome of one attempt: whether it may proceed, tokens left, and when to retry if not. */
    public record Decision(boolean allowed, int remaining, long retryAfterNs) {}

    public TokenBucket(final int perMinute, final int capacity, final long nowNs) {
        if (perMinute < 1 || capacity < 1) {
            throw new IllegalArgumentException(
                    "perMinute=" + perMinute + " and capacity=" + capacity + " must both be >= 1");
        }
        this.capacity = capacity;
        this.tokensPerNano = perMinute / (double) NANOS_PER_MINUTE;
        this.tokens = capacity;
        this.lastRefillNs = nowNs;
    }

    public synchronized Decision tryAcquire(final long nowNs) {
        final long elapsedNs = nowNs - lastRefillNs;
        if (elapsedNs > 0) {
            tokens = Math.min(capacity, tokens + elapsedNs * tokensPerNano);
            lastRefillNs = nowNs;
        }
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return new Decision(true, (int) tokens, 0);
        }
        return new Decision(false, 0, (long) Math.ceil((1.0 - tokens) / tokensPerNano));
    }

    /** Whether an acquire at {@code nowNs} would succeed, without taking a token. */
    public synchronized boolean hasToken(final long nowNs) {
        return tokens + Math.max(0, nowNs - lastRefillNs) * tokensPerNano >= 1.0;
    }

    /** Whether the bucket is full at {@code nowNs}, i.e. forgetting it changes nothing. */
    synchronized boolean isFull(final long nowNs) {
        return tokens + (nowNs - lastRefillNs) * tokensPerNano >= capacity;
    }
}
