package ai.continuum.server.ratelimit;

import ai.continuum.server.redis.RedisLink;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;

/**
 * Rate-limit buckets kept in the shared Redis, so every instance counts a client's requests against one bucket: a
 * client limited through one instance is limited through all. Bucket4j holds each bucket under
 * {@code <prefix>ratelimit:<client>} and updates it with a compare-and-swap script; a bucket left alone expires once it
 * would be full again (plus a minute), so Redis holds only active clients.
 *
 * <p>Invariant: a request is never refused or delayed beyond the Redis timeout because of Redis. While the
 * {@link RedisLink} reports Redis unreachable, or when a call fails or times out, the decision is made by the local
 * {@link RateLimiter} (same rate and burst, counted by this instance alone) and counted by {@code onLocalDecision};
 * once a probe answers again, decisions are shared again.
 *
 * <p>Thread-safe: the proxy manager is built once, on first use after Redis first answered.
 */
public final class SharedRateLimiter implements ClientLimiter {
    private final RateLimiter local;
    private final RedisLink link;
    private final BucketConfiguration configuration;
    private final String keyPrefix;
    private final Runnable onLocalDecision;
    private volatile ProxyManager<String> buckets;

    public SharedRateLimiter(
            final int perMinute, final int burst, final RedisLink link, final Runnable onLocalDecision) {
        this.local = new RateLimiter(perMinute, burst, System::nanoTime);
        this.link = link;
        this.onLocalDecision = onLocalDecision;
        this.keyPrefix = link.settings().keyPrefix() + "ratelimit:";
        this.configuration = perMinute > 0
                ? BucketConfiguration.builder()
                        .addLimit(limit -> limit.capacity(burst).refillGreedy(perMinute, Duration.ofMinutes(1)))
                        .build()
                : null;
    }

    @Override
    public boolean enabled() {
        return local.enabled();
    }

    @Override
    public int perMinute() {
        return local.perMinute();
    }

    @Override
    public RedisLink.State redis() {
        return link.state();
    }

    @Override
    public TokenBucket.Decision tryAcquire(final String client) {
        final ProxyManager<String> shared = link.up() ? buckets() : null;
        if (shared != null) {
            try {
                final ConsumptionProbe probe = shared.builder()
                        .build(keyPrefix + client, () -> configuration)
                        .tryConsumeAndReturnRemaining(1);
                return new TokenBucket.Decision(
                        probe.isConsumed(),
                        (int) Math.min(Integer.MAX_VALUE, probe.getRemainingTokens()),
                        probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill());
            } catch (final RuntimeException e) {
                link.failed(e);
            }
        }
        onLocalDecision.run();
        return local.tryAcquire(client);
    }

    private ProxyManager<String> buckets() {
        ProxyManager<String> b = buckets;
        if (b == null) {
            final StatefulRedisConnection<String, byte[]> connection = link.connection();
            if (connection == null) {
                return null;
            }
            synchronized (this) {
                b = buckets;
                if (b == null) {
                    b = Bucket4jLettuce.casBasedBuilder(connection)
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                    Duration.ofMinutes(1)))
                            .requestTimeout(link.settings().timeout())
                            .build();
                    buckets = b;
                }
            }
        }
        return b;
    }
}
