package ai.continuum.server.auth;

import ai.continuum.server.ratelimit.RateLimiter;
import ai.continuum.server.ratelimit.TokenBucket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Failed authentications per client address: the first {@link #BURST}, then {@code perMinute} a minute, are
 * answered 401 and audited one line each; past that the address gets 429 with {@code Retry-After}, and its failures
 * are counted instead of logged, with one summary line per address per minute. So one client's bogus keys can neither
 * fill the disk with log lines nor guess at full speed. Only failures count: a correct key is checked (in
 * microseconds) and accepted whatever its address did, so nobody's guesses lock out a key's holder. Thread-safe.
 */
public final class FailedAuthThrottle {
    static final int BURST = 20;
    static final int MAX_TRACKED = 100_000;
    private static final Logger LOG = Logger.getLogger("continuum.audit");
    private static final long SUMMARY_EVERY_NS = TimeUnit.MINUTES.toNanos(1);

    /** What to answer a failed authentication. */
    public record Verdict(boolean throttled, long retryAfterSeconds) {}

    private record Suppressed(AtomicLong count, AtomicLong lastSummaryNs) {}

    private final RateLimiter limiter;
    private final LongSupplier nanoClock;
    private final Consumer<String> counter;
    private final Map<String, Suppressed> suppressed = new ConcurrentHashMap<>();

    /**
     * @param perMinute failures a minute per address after the burst; 0 turns the throttle off (every failure 401).
     * @param counter   told "logged" or "suppressed" for every failure (the metric).
     */
    public FailedAuthThrottle(final int perMinute, final LongSupplier nanoClock, final Consumer<String> counter) {
        this.limiter = new RateLimiter(perMinute, BURST, nanoClock);
        this.nanoClock = nanoClock;
        this.counter = counter;
    }

    /** Records a failed authentication from {@code remote} and says whether to answer 401 (audited) or 429. */
    public Verdict failed(final String remote, final String method, final String path, final String reason) {
        final TokenBucket.Decision decision = limiter.enabled() ? limiter.tryAcquire(remote) : null;
        if (decision == null || decision.allowed()) {
            counter.accept("logged");
            AuditLog.unauthorized(remote, method, path, reason);
            return new Verdict(false, 0);
        }
        counter.accept("suppressed");
        if (suppressed.size() >= MAX_TRACKED) {
            suppressed.clear();
        }
        final long now = nanoClock.getAsLong();
        final Suppressed s = suppressed.computeIfAbsent(
                remote, r -> new Suppressed(new AtomicLong(), new AtomicLong(now - SUMMARY_EVERY_NS)));
        s.count().incrementAndGet();
        final long last = s.lastSummaryNs().get();
        if (now - last >= SUMMARY_EVERY_NS && s.lastSummaryNs().compareAndSet(last, now)) {
            final long reported = s.count().getAndSet(0);
            LOG.warning(() -> "event=unauthorized_throttled remote=" + remote + " failures=" + reported
                    + " window_s=60 (each further failure from this address answers 429 and is counted in "
                    + "continuum_auth_failures_total{outcome=\"suppressed\"}, not logged)");
        }
        return new Verdict(true, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(decision.retryAfterNs()) + 1));
    }
}
