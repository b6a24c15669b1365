package ai.continuum.server.http;

import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.auth.AuditLog;
import ai.continuum.server.auth.FailedAuthThrottle;
import ai.continuum.server.auth.Principal;
import ai.continuum.server.logging.SuppressedAccessLines;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.Map;
import java.util.Optional;

/**
 * The one authentication point in front of every route. Health and readiness pass untouched, and so does
 * {@code /metrics} unless configured private. Every other path needs a valid key in {@code X-API-Key} or
 * {@code Authorization: Bearer} (401 with {@code WWW-Authenticate} otherwise, audited; an address that keeps failing
 * gets 429 and its failures are counted rather than logged, see {@link FailedAuthThrottle}); paths under the
 * prefixes {@link RouteTable#registerAdmin registered as admin} ({@code /v1/keys}, {@code /v1/tenants},
 * {@code /v1/admin}, private {@code /metrics}) need the admin key (403 otherwise). Before any of that, a known path
 * with a method it does not serve is a 405 with {@code Allow}, and a path no route serves is a 404 when no key is
 * presented (with a key it is authenticated first, so a route registered outside the table still needs one). Paths are
 * compared after folding repeated and trailing slashes, so a spelling variant cannot slip past a rule. The resolved
 * {@link Principal} is registered in the request context, where handlers read the tenant. When keys are not required
 * (loopback only), a request without a key acts as the default tenant. Thread-safe.
 */
public final class AuthFilter implements Filter {
    private static final String CHALLENGE = "ApiKey realm=\"continuum\", Bearer realm=\"continuum\"";
    private static final HeaderName X_API_KEY = HeaderNames.create("X-API-Key");

    private final ApiKeyAuthenticator authenticator;
    private final RouteTable routes;
    private final FailedAuthThrottle failures;
    private final boolean requireKey;
    private final String defaultTenant;
    private final boolean metricsPublic;

    public AuthFilter(
            final ApiKeyAuthenticator authenticator,
            final RouteTable routes,
            final FailedAuthThrottle failures,
            final boolean requireKey,
            final String defaultTenant,
            final boolean metricsPublic) {
        this.authenticator = authenticator;
        this.routes = routes;
        this.failures = failures;
        this.requireKey = requireKey;
        this.defaultTenant = defaultTenant;
        this.metricsPublic = metricsPublic;
    }

    /** The caller of a request that passed this filter. */
    public static Principal principal(final ServerRequest req) {
        return req.context()
                .get(Principal.class)
                .orElseThrow(() -> new IllegalStateException("no principal: the route is not behind AuthFilter"));
    }

    /**
     * Paths served without a key: health and readiness, the OpenAPI document and the explorer page always,
     * {@code /metrics} unless configured otherwise.
     * Everything else, including unknown paths, needs one (unknown paths 404 after).
     */
    public boolean isPublic(final String path) {
        return isHealth(path) || (metricsPublic && path.equals("/metrics")) || isDocument(path);
    }

    /**
     * The OpenAPI document and the explorer page's files: they hold no data (the page asks for a key and sends it
     * with each API call).
     */
    public static boolean isDocument(final String path) {
        return path.equals("/openapi") || path.equals("/ui") || path.startsWith("/ui/");
    }

    /** Health and readiness paths, public in every configuration. */
    public static boolean isHealth(final String path) {
        return path.equals("/v1/health")
                || path.equals("/v1/ready")
                || path.equals("/observe/health")
                || path.startsWith("/observe/health/");
    }

    /** Refuses (403) a request whose principal is not the admin: the handler's own check behind the filter's. */
    public static void requireAdmin(final ServerRequest req) {
        if (!principal(req).admin()) {
            throw new ApiException(403, "forbidden", "this endpoint needs the admin key");
        }
    }

    @Override
    public void filter(final FilterChain chain, final RoutingRequest req, final RoutingResponse res) {
        SuppressedAccessLines.reset();
        final String path = fold(req.path().path());
        if (isPreflight(req)) {
            chain.proceed();
            return;
        }
        final RouteTable.Match match = routes.match(req.prologue().method(), path);
        if (match.pathKnown() && !match.methodAllowed()) {
            ErrorMapping.send(
                    res,
                    new ApiException(
                            405,
                            "method_not_allowed",
                            req.prologue().method().text() + " is not allowed on " + Body.abbreviate(path)
                                    + "; allowed: " + String.join(", ", match.allowed()),
                            Map.of("Allow", String.join(", ", match.allowed()))));
            return;
        }
        if (isPublic(path)) {
            chain.proceed();
            return;
        }
        final Optional<String> presented = presentedKey(req);
        if (!match.pathKnown() && presented.isEmpty()) {
            // Nothing to protect: say the route does not exist rather than asking for a key it would not need.
            ErrorMapping.send(
                    res,
                    ApiException.notFound(
                            "no route for " + req.prologue().method().text() + " " + Body.abbreviate(path)));
            return;
        }
        final boolean admin = routes.isAdmin(path);
        final Principal principal;
        if (presented.isEmpty()) {
            if (requireKey || admin) {
                reject(req, res, "missing_key", "an API key is required: send X-API-Key or Authorization: Bearer");
                return;
            }
            principal = new Principal(defaultTenant, Principal.ANONYMOUS_KEY_ID, false);
        } else {
            final Optional<Principal> found = authenticator.authenticate(presented.get());
            if (found.isEmpty()) {
                reject(req, res, "invalid_key", "the API key is invalid or revoked");
                return;
            }
            principal = found.get();
        }
        if (admin && !principal.admin()) {
            AuditLog.forbidden(
                    principal.keyId(),
                    req.prologue().method().text(),
                    req.path().rawPath());
            ErrorMapping.send(res, new ApiException(403, "forbidden", "this endpoint needs the admin key"));
            return;
        }
        req.context().register(principal);
        chain.proceed();
    }

    /** {@code path} with runs of slashes folded to one and no trailing slash. */
    static String fold(final String path) {
        String folded = path;
        while (folded.contains("//")) {
            folded = folded.replace("//", "/");
        }
        return folded.length() > 1 && folded.endsWith("/") ? folded.substring(0, folded.length() - 1) : folded;
    }

    /** A CORS preflight: browsers send it without credentials; the CORS feature answers it and it reads nothing. */
    private static boolean isPreflight(final RoutingRequest req) {
        return Method.OPTIONS.equals(req.prologue().method())
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    private static Optional<String> presentedKey(final RoutingRequest req) {
        final var apiKey = req.headers().first(X_API_KEY);
        if (apiKey.isPresent() && !apiKey.get().isBlank()) {
            return Optional.of(apiKey.get().strip());
        }
        final var authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            final String value = authorization.get().strip();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                final String token = value.substring(7).strip();
                return token.isEmpty() ? Optional.empty() : Optional.of(token);
            }
        }
        return Optional.empty();
    }

    /** 401, audited; or 429 once the address has failed too often (see {@link FailedAuthThrottle}). */
    private void reject(final RoutingRequest req, final RoutingResponse res, final String code, final String message) {
        final FailedAuthThrottle.Verdict verdict = failures.failed(
                RemoteHost.of(req.remotePeer()),
                req.prologue().method().text(),
                req.path().rawPath(),
                code);
        if (verdict.throttled()) {
            SuppressedAccessLines.suppressCurrent();
            ErrorMapping.send(
                    res,
                    new ApiException(
                            429,
                            "too_many_auth_failures",
                            "too many failed authentications " + "from this address; retry later with a valid key",
                            Map.of("Retry-After", Long.toString(verdict.retryAfterSeconds()))));
            return;
        }
        ErrorMapping.send(res, new ApiException(401, "unauthorized", message, Map.of("WWW-Authenticate", CHALLENGE)));
    }
}
