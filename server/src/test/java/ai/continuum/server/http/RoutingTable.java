package ai.continuum.server.http;

import ai.continuum.server.TestServer;
import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.auth.KeyHasher;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.ratelimit.RateLimiter;
import ai.continuum.server.storage.Storage;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The routes a routing function really registers, read by handing it a recording {@link HttpRouting.Builder}: every
 * {@code get/post/put/delete/...(path, handler)} and {@code route(method, path, handler)} is recorded as
 * "METHOD /full/path" with its service prefixes, and every registered {@link HttpService} is walked with its prefix.
 * Paths are normalised as OpenAPI writes them: no trailing slash, {@code {+name}} as {@code {name}}. A root
 * {@code any(handler)} (the 404 fallback) is not a route. Any registration this recorder cannot read fails loudly,
 * so a route can never slip past it unseen.
 */
final class RoutingTable {
    private static final Set<String> VERBS =
            Set.of("get", "post", "put", "delete", "head", "options", "trace", "patch", "any");

    private final Set<String> routes = new TreeSet<>();

    private RoutingTable() {}

    /** The routes {@code routing} registers, as "METHOD /path", sorted. */
    static Set<String> of(final Consumer<HttpRouting.Builder> routing) {
        final RoutingTable table = new RoutingTable();
        routing.accept(table.recorder(""));
        return table.routes;
    }

    /** The routes {@link ApiRouting} registers for a service with these parts (no federation). */
    static Set<String> ofApi(
            final ServerConfig config,
            final ContinuumCore core,
            final Storage storage,
            final ContinuumMetrics metrics) {
        return of(routing -> ApiRouting.routing(
                routing,
                config,
                core,
                new ApiKeyAuthenticator(
                        storage.apiKeys(),
                        new KeyHasher(KeyHasher.DEFAULT_ITERATIONS),
                        TestServer.ADMIN_KEY,
                        "default",
                        0,
                        System::nanoTime),
                new RateLimiter(60, 10, System::nanoTime),
                metrics));
    }

    private HttpRouting.Builder recorder(final String prefix) {
        final InvocationHandler handler = (proxy, method, args) -> handle(proxy, prefix, method, args);
        return (HttpRouting.Builder) Proxy.newProxyInstance(
                RoutingTable.class.getClassLoader(), new Class<?>[] {HttpRouting.Builder.class}, handler);
    }

    private Object handle(final Object proxy, final String prefix, final Method method, final Object[] args)
            throws Throwable {
        final String name = method.getName();
        final Object[] a = args == null ? new Object[0] : args;
        if (method.getDeclaringClass() == Object.class) {
            return switch (name) {
                case "toString" -> "RoutingTable recorder at '" + prefix + "'";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == a[0];
                default -> throw new UnsupportedOperationException(name);
            };
        }
        if (VERBS.contains(name)) {
            final String path = a.length > 0 && a[0] instanceof String p ? p : "";
            if (name.equals("any") && (prefix + path).isEmpty()) {
                return proxy; // the 404 fallback, not a route
            }
            if (name.equals("any")) {
                throw new IllegalStateException("any(" + prefix + path + ") registers every method: list the methods "
                        + "so the routes can be documented");
            }
            record(name.toUpperCase(Locale.ROOT), prefix + path);
            return proxy;
        }
        if (name.equals("route")
                && a.length == 3
                && a[0] instanceof io.helidon.http.Method m
                && a[1] instanceof String path) {
            record(m.text(), prefix + path);
            return proxy;
        }
        if (name.equals("register")
                && a.length == 2
                && a[0] instanceof String path
                && a[1] instanceof HttpService[] services) {
            for (final HttpService service : services) {
                service.routing((HttpRules) recorder(prefix + path));
            }
            return proxy;
        }
        if (name.equals("register") && a.length == 1 && a[0] instanceof HttpService[] services) {
            for (final HttpService service : services) {
                service.routing((HttpRules) recorder(prefix));
            }
            return proxy;
        }
        if (Set.of("addFilter", "addFeature", "error", "security", "maxReRouteCount")
                .contains(name)) {
            return proxy;
        }
        if (method.isDefault() && !name.equals("route")) {
            return InvocationHandler.invokeDefault(proxy, method, a);
        }
        throw new IllegalStateException("RoutingTable cannot read " + name + " with " + a.length + " arguments at '"
                + prefix + "': register routes with a path and method so they can be documented");
    }

    private void record(final String method, final String rawPath) {
        String path = rawPath.replaceAll("/+", "/").replace("{+", "{");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        routes.add(method + " " + (path.isEmpty() ? "/" : path));
    }
}
