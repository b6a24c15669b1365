package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.NodeClients;
import ai.continuum.server.OneServerPerClass;
import ai.continuum.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The graph explorer page at /ui/ in Chromium (src/test/node/ui-explorer.mjs): log in with a key, learn through the
 * API, search a concept and see its neighbours drawn, recall, forget a memory, accessibility checked by axe-core, at
 * 1280 and 390 pixels. Screenshots are kept in target/ui-screenshots. Needs the page built into the classes
 * (ui/build.sh, run by Maven when Node is there) and Chromium (.ci/run installs Debian's).
 *
 * <p>Real socket: a headless browser loads the page over HTTP.
 */
class ExplorerPageTest extends OneServerPerClass {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void shouldServeThePageWithoutKeyAndSafeHeaders() {
        requireBuiltPage();
        final TestServer.Reply index = server.get("/ui/", null);
        assertEquals(200, index.status(), index.body());
        assertTrue(index.header("Content-Type").startsWith("text/html"));
        assertTrue(index.header("Content-Security-Policy").contains("default-src 'self'"));
        assertTrue(index.body().contains("/ui/assets/"), index.body());
        assertEquals(404, server.get("/ui/assets/nothing.js", null).status());
        assertEquals(404, server.get("/ui/..%2F..%2Fapplication.yaml", null).status());
    }

    @Test
    void shouldExploreTheGraphInChromium() {
        requireBuiltPage();
        if (!Files.isExecutable(CHROMIUM)) {
            final String message = CHROMIUM + " is missing: the explorer page cannot be tested in a browser "
                    + "(apt-get install chromium; .ci/run does)";
            NodeClients.skipOrFail(message);
        }
        final String key = server.createKey("explorer");
        NodeClients.run(
                "ui-explorer.mjs",
                Map.of(
                        "BASE_URL",
                        server.uri("").toString(),
                        "API_KEY",
                        key,
                        "OUT_DIR",
                        Path.of("target", "ui-screenshots").toAbsolutePath().toString(),
                        "CHROMIUM",
                        CHROMIUM.toString()));
    }

    private static void requireBuiltPage() {
        if (ExplorerPageTest.class.getClassLoader().getResource(UiResource.ROOT + "index.html") != null) {
            return;
        }
        final TestServer.Reply missing = server.get("/ui/", null);
        assertEquals(503, missing.status(), "without the built page /ui/ says why: " + missing.body());
        final String message = "the explorer page is not built (no Node/npm when Maven ran ui/build.sh)";
        NodeClients.skipOrFail(message);
    }
}
