package ai.continuum.server.http;

import ai.continuum.server.NodeClients;
import ai.continuum.server.OneServerPerClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The graph explorer page at /ui/ in Chromium (src/test/node/ui-explorer.mjs): log in with a key, learn through the
 * API, search a concept and see its neighbours drawn, recall, forget a memory, accessibility checked by axe-core, at
 * 1280 and 390 pixels. Screenshots are kept in target/ui-screenshots. Needs the page built into the classes
 * (ui/build.sh, run by Maven when Node is there) and Chromium (.ci/run installs Debian's). The route's own answers
 * are {@link UiResourceTest}'s.
 *
 * <p>Real socket: a headless browser loads the page over HTTP.
 */
class ExplorerPageTest extends OneServerPerClass {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void shouldExploreTheGraphInChromium() {
        UiResourceTest.requireBuiltPage(server);
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
}
