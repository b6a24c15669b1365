package ai.continuum.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /ui/}: the graph explorer page, the files Vite built into the jar under {@code continuum-ui/} (server/ui).
 * Public, like any login page: it holds no data, asks for a key and calls the API with it. A jar built without Node
 * has no page; then every path answers 503 saying so. Hashed assets are cached for good, {@code index.html} is
 * revalidated; a Content-Security-Policy keeps the page to its own origin (no CDN, no inline script).
 */
public final class UiResource implements HttpService {
    static final String ROOT = "continuum-ui/";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "html",
            "text/html; charset=utf-8",
            "js",
            "text/javascript; charset=utf-8",
            "css",
            "text/css; charset=utf-8",
            "svg",
            "image/svg+xml",
            "png",
            "image/png",
            "ico",
            "image/x-icon",
            "json",
            "application/json",
            "woff2",
            "font/woff2",
            "map",
            "application/json");

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/", (req, res) -> send(res, "index.html"))
                .get(
                        "/{+asset}",
                        (req, res) -> send(res, req.path().pathParameters().get("asset")));
    }

    private static void send(final ServerResponse res, final String asset) {
        if (UiResource.class.getClassLoader().getResource(ROOT + "index.html") == null) {
            throw ApiException.unavailable(
                    "the explorer page is not in this build: it was built without Node and "
                            + "npm (see README, 'Graph explorer'); the API works without it",
                    3600);
        }
        final String name = asset.isEmpty() ? "index.html" : asset;
        if (name.contains("..") || name.contains("\\") || name.startsWith("/")) {
            throw ApiException.notFound("no such file in the explorer page");
        }
        try (InputStream in = UiResource.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null || name.endsWith("/")) {
                throw ApiException.notFound("no such file in the explorer page: " + Body.abbreviate(name));
            }
            final String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            res.header(HeaderNames.CONTENT_TYPE, TYPES.getOrDefault(extension, "application/octet-stream"));
            res.header(
                    HeaderNames.CACHE_CONTROL,
                    name.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
            res.header(HeaderNames.create("Content-Security-Policy"), CSP);
            res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
            res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
            res.send(in.readAllBytes());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the explorer page's " + name, e);
        }
    }
}
