package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.continuum.server.NodeClients;
import ai.continuum.server.OneServerPerClass;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document on a live server: the documented routes of Helidon's features are served, and a client built
 * from the served document, after a real validator finds it valid OpenAPI 3.1, learns and recalls
 * (src/test/node/openapi-client.mjs). That the routing's own routes match the document is {@link OpenApiDocumentTest}'s.
 *
 * <p>Real socket: a generated Node client calls the API over HTTP, and the observe routes are the web server's.
 */
class OpenApiClientTest extends OneServerPerClass {
    @Test
    void shouldServeTheDocumentedFeatureRoutes() {
        for (final String route : OpenApiDocumentTest.FEATURE_ROUTES) {
            final String path = route.substring(route.indexOf(' ') + 1);
            assertNotEquals(404, server.get(path, null).status(), "documented " + route + " is served");
        }
    }

    @Test
    void shouldValidateAndLearnAndRecallThroughAGeneratedClient() {
        final String key = server.createKey("openapi-client");
        NodeClients.run("openapi-client.mjs", Map.of("BASE_URL", server.uri("").toString(), "API_KEY", key));
    }
}
