package ai.continuum.server.ratelimit;

import ai.continuum.server.redis.RedisLink;

/** Decides whether a client (a key id, or an address) may make one more request now. Thread-safe. */
public interface ClientLimiter {
    /** False when limiting is off (a rate of 0). */
    boolean enabled();

    /** The sustained rate each client gets. */
    int perMinute();

    /** Takes one token from {@code client}'s bucket if it has one. */
    TokenBucket.Decision tryAcquire(String client);

    /** Where the buckets are shared, as readiness shows it: {@link RedisLink.State#DISABLED} when only here. */
    default RedisLink.State redis() {
        return RedisLink.State.DISABLED;
    }
}
