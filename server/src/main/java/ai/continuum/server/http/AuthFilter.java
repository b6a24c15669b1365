package ai.continuum.server.http;

import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.auth.AuditLog;
import ai.continuum.server.auth.Principal;
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
 * {@code Authorization: Bearer} (401 with {@code WWW-Authenticate} otherwise; each 401 is audited); admin paths
 * ({@code /v1/keys}, {@code /v1/tenants}, private {@code /metrics}) need the admin key (403 otherwise). Paths are
 * compared after folding repeated and trailing slashes, so a spelling variant cannot slip past a rule. The resolved
 * {@link Principal} is registered in the request context, where handlers read the tenant. When keys are not required
 * (loopback only), a request without a key acts as the default tenant. Thread-safe.
 */
public final class AuthFilter implements Filter {
    private static final String CHALLENGE = "ApiKey realm=\"continuum\", Bearer realm=\"continuum\"";
    private static final HeaderName X_API_KEY = HeaderNames.create("X-API-Key");

    private final ApiKeyAuthenticator authenticator;
    private final boolean requireKey;
    private final String defaultTenant;
    private final boolean metricsPublic;

    public AuthFilter(final ApiKeyAuthenticator authenticator, final boolean requireKey, final String defaultTenant,
                      final boolean metricsPublic) {
        this.authenticator = authenticator;
        this.requireKey = requireKey;
        this.defaultTenant = defaultTenant;
        this.metricsPublic = metricsPublic;
    }

    /** The caller of a request that passed this filter. */
    public static Principal principal(final ServerRequest req) {
        return req.context().get(Principal.class)
            .orElseThrow(() -> new IllegalStateException("no principal: the route is not behind AuthFilter"));
    }

    /**
     * Paths served without a key: health and readiness, the OpenAPI document and the explorer page always,
     * {@code /metrics} unless configured otherwise.
     * Everything else, including unknown paths, needs one (unknown paths 404 after).
     */
    public boolean isPublic(final String path) {
        return isHealth(path) || metricsPublic && path.equals("/metrics") || isDocument(path);
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
        return path.equals("/v1/health") || path.equals("/v1/ready") || path.equals("/observe/health")
            || path.startsWith("/observe/health/");
    }

    /**
     * Key management, the tenant list, export and import, and (when not public) the metrics. The handlers check
     * {@link Principal#admin()} again ({@link #requireAdmin}).
     */
    public static boolean isAdmin(final String path) {
        return path.equals("/v1/keys") || path.startsWith("/v1/keys/") || path.equals("/v1/tenants")
            || path.startsWith("/v1/tenants/") || path.startsWith("/v1/admin/") || path.equals("/metrics");
    }

    /** Refuses (403) a request whose principal is not the admin: the handler's own check behind {@link #isAdmin}. */
    public static void requireAdmin(final ServerRequest req) {
        if (!principal(req).admin()) {
            throw new ApiException(403, "forbidden", "this endpoint needs the admin key");
        }
    }

    @Override
    public void filter(final FilterChain chain, final RoutingRequest req, final RoutingResponse res) {
        final String path = fold(req.path().path());
        if (isPublic(path) || isPreflight(req)) {
            chain.proceed();
            return;
        }
        final Optional<String> presented = presentedKey(req);
        final Principal principal;
        if (presented.isEmpty()) {
            if (requireKey || isAdmin(path)) {
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
        if (isAdmin(path) && !principal.admin()) {
            AuditLog.forbidden(principal.keyId(), req.prologue().method().text(), req.path().rawPath());
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
        return req.prologue().method() == Method.OPTIONS
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

    private static void reject(final RoutingRequest req, final RoutingResponse res, final String code,
                               final String message) {
        AuditLog.unauthorized(req.remotePeer().host(), req.prologue().method().text(), req.path().rawPath(), code);
        ErrorMapping.send(res, new ApiException(401, "unauthorized", message, Map.of("WWW-Authenticate", CHALLENGE)));
    }
}
