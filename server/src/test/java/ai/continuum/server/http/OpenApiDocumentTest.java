package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI document against the service's routing: every route the real routing function registers is documented
 * and every documented route is served (those of Helidon's features, outside the routing function, are probed on a
 * listener by {@link OpenApiClientTest}, which also runs a client generated from the document), and the document is
 * served as YAML and JSON without a key.
 */
class OpenApiDocumentTest extends OneRoutingPerClass {
    /** Routes served by Helidon features (observe), not by ApiRouting: {@link OpenApiClientTest} probes them. */
    static final Set<String> FEATURE_ROUTES =
            Set.of("GET /observe/health", "GET /observe/health/live", "GET /observe/health/ready");

    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Test
    void shouldDocumentExactlyTheServedRoutes() throws IOException {
        final Set<String> served =
                RoutingTable.ofApi(server.config(), server.core(), server.storage(), server.metrics());
        assertTrue(
                served.contains("POST /v1/recall") && served.contains("GET /v1/memories/{id}"),
                "the routing walk found the API: " + served);

        final Set<String> documented = documentedRoutes();
        final Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        assertEquals(
                Set.of(),
                undocumented,
                "served by ApiRouting but missing from "
                        + "server/src/main/resources/openapi/continuum.yaml (add each under 'paths' with its parameters, request "
                        + "body, responses and errors): " + undocumented);

        final Set<String> notServed = new TreeSet<>(documented);
        notServed.removeAll(served);
        notServed.removeAll(FEATURE_ROUTES);
        assertEquals(
                Set.of(),
                notServed,
                "documented in server/src/main/resources/openapi/continuum.yaml but not " + "registered by ApiRouting: "
                        + notServed);
        for (final String route : FEATURE_ROUTES) {
            assertTrue(documented.contains(route), "feature route " + route + " is documented");
        }
    }

    @Test
    void shouldServeTheDocumentAsYamlAndJsonWithoutKey() {
        final TestServer.Reply yaml = server.get("/openapi", null);
        assertEquals(200, yaml.status(), yaml.body());
        assertTrue(yaml.header("Content-Type").startsWith("application/yaml"), yaml.header("Content-Type"));
        assertTrue(yaml.body().startsWith("openapi: 3.1.0"), yaml.body());
        final TestServer.Reply json =
                server.exchange("GET", "/openapi", null, Map.of("Accept", "application/json"), null);
        assertEquals(200, json.status(), json.body());
        assertEquals("3.1.0", json.json().get("openapi").asText());
        assertTrue(json.json().at("/paths/~1v1~1recall/post").isObject(), json.body());
    }

    /** Every "METHOD /path" of the document's {@code paths}. */
    @SuppressWarnings("unchecked")
    private static Set<String> documentedRoutes() throws IOException {
        try (InputStream in =
                OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(OpenApiResource.DOCUMENT)) {
            final Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            final Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
            final Set<String> routes = new TreeSet<>();
            paths.forEach((path, item) -> item.keySet().stream()
                    .filter(HTTP_METHODS::contains)
                    .forEach(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path)));
            return routes;
        }
    }
}
