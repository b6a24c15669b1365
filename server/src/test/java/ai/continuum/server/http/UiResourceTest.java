package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.ApiClient;
import ai.continuum.server.NodeClients;
import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The explorer page's route: /ui/ is served without a key and with safe headers, and nothing outside the built page
 * is; without the built page it answers 503 and says why. The page itself, in a browser, is {@link ExplorerPageTest}'s.
 */
class UiResourceTest extends OneRoutingPerClass {
    @Test
    void shouldServeThePageWithoutKeyAndSafeHeaders() {
        requireBuiltPage(server);
        final TestServer.Reply index = server.get("/ui/", null);
        assertEquals(200, index.status(), index.body());
        assertTrue(index.header("Content-Type").startsWith("text/html"));
        assertTrue(index.header("Content-Security-Policy").contains("default-src 'self'"));
        assertTrue(index.body().contains("/ui/assets/"), index.body());
        assertEquals(404, server.get("/ui/assets/nothing.js", null).status());
        assertEquals(404, server.get("/ui/..%2F..%2Fapplication.yaml", null).status());
    }

    /** Skips (or fails, where the build must have made it) unless the page is built; then /ui/ must say it is not. */
    static void requireBuiltPage(final ApiClient server) {
        if (UiResourceTest.class.getClassLoader().getResource(UiResource.ROOT + "index.html") != null) {
            return;
        }
        final TestServer.Reply missing = server.get("/ui/", null);
        assertEquals(503, missing.status(), "without the built page /ui/ says why: " + missing.body());
        final String message = "the explorer page is not built (no Node/npm when Maven ran ui/build.sh)";
        NodeClients.skipOrFail(message);
    }
}
