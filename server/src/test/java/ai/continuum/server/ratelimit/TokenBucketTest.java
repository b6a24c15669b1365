package ai.continuum.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void shouldAllowBurstThenRefuseWhenEmpty() {
        final TokenBucket bucket = new TokenBucket(60, 3, 0);
        assertEquals(2, bucket.tryAcquire(0).remaining());
        assertEquals(1, bucket.tryAcquire(0).remaining());
        assertEquals(0, bucket.tryAcquire(0).remaining());
        final TokenBucket.Decision refused = bucket.tryAcquire(0);
        assertFalse(refused.allowed());
        assertEquals((double) SECOND_NS, (double) refused.retryAfterNs(), SECOND_NS / 1000.0);
    }

    @Test
    void shouldRefillAtRateWhenTimePasses() {
        final TokenBucket bucket = new TokenBucket(60, 1, 0);
        assertTrue(bucket.tryAcquire(0).allowed());
        assertFalse(bucket.tryAcquire(SECOND_NS / 2).allowed());
        assertTrue(bucket.tryAcquire(SECOND_NS + 1).allowed());
    }

    @Test
    void shouldNotExceedCapacityWhenIdleLong() {
        final TokenBucket bucket = new TokenBucket(60, 2, 0);
        final long later = 3600 * SECOND_NS;
        assertTrue(bucket.tryAcquire(later).allowed());
        assertTrue(bucket.tryAcquire(later).allowed());
        assertFalse(bucket.tryAcquire(later).allowed());
    }

    @Test
    void shouldKeepSeparateBucketsPerClient() {
        final long[] now = {0};
        final RateLimiter limiter = new RateLimiter(60, 1, () -> now[0]);
        assertTrue(limiter.tryAcquire("key:a").allowed());
        assertFalse(limiter.tryAcquire("key:a").allowed());
        assertTrue(limiter.tryAcquire("key:b").allowed());
        now[0] += 2 * SECOND_NS;
        assertTrue(limiter.tryAcquire("key:a").allowed());
    }
}
