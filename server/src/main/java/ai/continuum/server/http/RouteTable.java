package ai.continuum.server.http;

import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The API's routes as registered with Helidon, kept so that filters can answer before authentication: an unknown
 * path is a 404 and a known path with the wrong method a 405 naming the allowed methods, and a path belongs to the
 * admin API exactly when it lies under a prefix registered with {@link #registerAdmin}. Registering through this table
 * is the only way a service reaches the routing, so the table cannot drift from what is served. Filled while the
 * routing is built, read by request threads after the server starts (the lists are copy-on-write).
 */
public final class RouteTable {
    /** The methods a path is probed with to build {@code Allow}. */
    private static final List<Method> METHODS =
            List.of(Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.DELETE, Method.PATCH);

    private record Entry(String prefix, HttpRoute route) {}

    /**
     * What the table knows of a method and path. {@code allowed} lists the methods the path accepts only when
     * {@code method} is not one of them (what a 405's {@code Allow} says); for a served request it is empty.
     */
    public record Match(boolean pathKnown, boolean methodAllowed, Set<String> allowed) {
        static final Match SERVED = new Match(true, true, Set.of());
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final List<String> adminPrefixes = new CopyOnWriteArrayList<>();

    /** Registers {@code service} under {@code prefix} with Helidon and records its routes. */
    public RouteTable register(final HttpRouting.Builder routing, final String prefix, final HttpService service) {
        routing.register(prefix, service);
        service.routing(new Recorder(prefix));
        return this;
    }

    /** As {@link #register}, and every path under {@code prefix} needs the admin key. */
    public RouteTable registerAdmin(final HttpRouting.Builder routing, final String prefix, final HttpService service) {
        adminPrefixes.add(prefix);
        return register(routing, prefix, service);
    }

    /** Whether {@code path} (folded, see {@link AuthFilter}) lies under an admin prefix. */
    public boolean isAdmin(final String path) {
        for (final String prefix : adminPrefixes) {
            if (under(path, prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Which routes accept {@code path} (folded) with {@code method}, and, when none does, with which methods at all.
     * Every request asks, so the usual answer (a route serves it) probes each route once, with one prologue per
     * prefix; the other methods are probed only for a 405.
     */
    public Match match(final Method method, final String path) {
        final Probe probe = new Probe(path);
        for (final Entry entry : entries) {
            if (probe.accepts(entry, method)) {
                return Match.SERVED;
            }
        }
        final Set<String> allowed = new TreeSet<>();
        for (final Method candidate : METHODS) {
            for (final Entry entry : entries) {
                if (probe.accepts(entry, candidate)) {
                    allowed.add(candidate.text());
                    break;
                }
            }
        }
        return new Match(!allowed.isEmpty(), false, Set.copyOf(allowed));
    }

    /**
     * Asks routes whether they accept one path, the part of it below each route's prefix: the prologue Helidon's
     * matching needs is built once per prefix and method, not once per route (every route of a service shares its
     * prefix).
     */
    private static final class Probe {
        private final String path;
        private String prefix;
        private Method method;
        private HttpPrologue prologue;

        Probe(final String path) {
            this.path = path;
        }

        boolean accepts(final Entry entry, final Method candidate) {
            if (!under(path, entry.prefix())) {
                return false;
            }
            if (!entry.prefix().equals(prefix) || !candidate.equals(method)) {
                final String rest = path.length() == entry.prefix().length()
                        ? "/"
                        : path.substring(entry.prefix().length());
                prefix = entry.prefix();
                method = candidate;
                prologue = HttpPrologue.create("HTTP/1.1", "HTTP", "1.1", candidate, rest, false);
            }
            return entry.route().accepts(prologue).accepted();
        }
    }

    /**
     * The template of the route that serves {@code method} on {@code path} (folded), as Helidon reports it once a
     * request is routed (e.g. {@code /v1/memories/{id}}): how a request refused before routing (401, 403, 429) is
     * counted under its real route. Empty when no registered route serves it, so a made-up path never becomes a label.
     */
    public Optional<String> template(final Method method, final String path) {
        final Probe probe = new Probe(path);
        for (final Entry entry : entries) {
            if (probe.accepts(entry, method)) {
                final Optional<String> element = entry.route().pathMatcher().flatMap(PathMatcher::matchingElement);
                if (element.isPresent()) {
                    return Optional.of(entry.prefix() + element.get());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean under(final String path, final String prefix) {
        return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    /** Collects a service's routes the way Helidon's rules receive them, with the prefix they are served under. */
    private final class Recorder implements HttpRules {
        private final String prefix;

        private Recorder(final String prefix) {
            this.prefix = prefix;
        }

        @Override
        public HttpRules register(final HttpService... services) {
            for (final HttpService service : services) {
                service.routing(this);
            }
            return this;
        }

        @Override
        public HttpRules register(final String path, final HttpService... services) {
            for (final HttpService service : services) {
                service.routing(new Recorder(prefix + path));
            }
            return this;
        }

        @Override
        public HttpRules route(final HttpRoute route) {
            entries.add(new Entry(prefix, route));
            return this;
        }
    }
}
