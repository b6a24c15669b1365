package ai.continuum.server.http;

import ai.continuum.server.auth.Principal;
import ai.continuum.server.ratelimit.ClientLimiter;
import ai.continuum.server.ratelimit.TokenBucket;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the {@link ClientLimiter} after authentication: the bucket is the key id (the client address for anonymous
 * callers). Adds {@code X-RateLimit-Limit} (per minute) and {@code X-RateLimit-Remaining} to every limited response
 * and answers 429 with {@code Retry-After} (whole seconds) when the bucket is empty. Public paths are not limited.
 * Thread-safe.
 */
public final class RateLimitFilter implements Filter {
    private final ClientLimiter limiter;

    public RateLimitFilter(final ClientLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void filter(final FilterChain chain, final RoutingRequest req, final RoutingResponse res) {
        final Optional<Principal> principal = req.context().get(Principal.class);
        if (!limiter.enabled() || principal.isEmpty()) {
            chain.proceed();
            return;
        }
        final String client = Principal.ANONYMOUS_KEY_ID.equals(principal.get().keyId())
                ? "ip:" + RemoteHost.of(req.remotePeer())
                : "key:" + principal.get().keyId();
        final TokenBucket.Decision decision = limiter.tryAcquire(client);
        res.header("X-RateLimit-Limit", Integer.toString(limiter.perMinute()));
        res.header("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
        if (!decision.allowed()) {
            final long retryAfterSeconds = Math.max(1, (decision.retryAfterNs() + 999_999_999L) / 1_000_000_000L);
            ErrorMapping.send(
                    res,
                    new ApiException(
                            429,
                            "rate_limited",
                            "rate limit of " + limiter.perMinute() + " requests per minute exceeded; retry after "
                                    + retryAfterSeconds + " s",
                            Map.of("Retry-After", Long.toString(retryAfterSeconds))));
            return;
        }
        chain.proceed();
    }
}
