package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.DirectServer;
import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Per-resource tests through Helidon's routing test support: the real {@link ApiRouting} (filters, authentication,
 * resources) over a real core and SQLite storage, called through a {@link DirectClient}, with no socket and no
 * listener. What needs a socket (raw header blocks, connection limits, CORS preflights as browsers send them) stays in
 * the tests that start a {@link TestServer}.
 */
@RoutingTest
class DirectRoutingTest {
    private static final HeaderName API_KEY = HeaderNames.create("X-API-Key");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Made here, not by {@code @TempDir}: the extension may set up the route before JUnit fills static fields. */
    private static Path dataDir;

    private static DirectServer service;

    private final DirectClient client;

    DirectRoutingTest(final DirectClient client) {
        this.client = client;
    }

    /** The extension calls this before the class's tests, with the routing builder its DirectClient will serve. */
    @SetUpRoute
    static void routing(final HttpRouting.Builder routing) throws IOException {
        dataDir = Files.createTempDirectory("continuum-direct-routing");
        service = DirectServer.unrouted(dataDir);
        service.routing(routing);
    }

    @AfterAll
    static void close() throws IOException {
        service.close();
        try (var files = Files.walk(dataDir)) {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private JsonNode post(final String path, final String body, final int status) throws IOException {
        try (Http1ClientResponse res = client.post(path)
                .header(API_KEY, TestServer.ADMIN_KEY)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(body)) {
            final String text = res.as(String.class);
            assertEquals(status, res.status().code(), text);
            return JSON.readTree(text);
        }
    }

    private JsonNode get(final String path, final String key, final int status) throws IOException {
        var request = client.get(path);
        if (key != null) {
            request = request.header(API_KEY, key);
        }
        try (Http1ClientResponse res = request.request()) {
            final String text = res.as(String.class);
            assertEquals(status, res.status().code(), text);
            return JSON.readTree(text);
        }
    }

    @Test
    void shouldLearnThenCountAndListTheConcepts() throws IOException {
        final JsonNode learned = post(
                "/v1/learn",
                "{\"user_message\": \"We picked PostgreSQL for the Billing Service\","
                        + " \"ai_response\": \"PostgreSQL replication for the Billing Service.\"}",
                200);
        assertTrue(learned.get("concepts_extracted").asInt() >= 2, learned.toString());

        final JsonNode stats = get("/v1/stats", TestServer.ADMIN_KEY, 200);
        assertEquals(1, stats.get("memories").asLong(), stats.toString());
        assertEquals(stats.get("concepts"), stats.get("entities"));

        final JsonNode concepts = get("/v1/concepts", TestServer.ADMIN_KEY, 200);
        assertTrue(concepts.get("concepts").toString().contains("Billing Service"), concepts.toString());
        try (Http1ClientResponse res = client.get("/v1/concepts")
                .queryParam("entity_type", "nope")
                .header(API_KEY, TestServer.ADMIN_KEY)
                .request()) {
            final JsonNode refused = JSON.readTree(res.as(String.class));
            assertEquals(400, res.status().code(), refused.toString());
            assertEquals("bad_request", refused.get("error").asText());
        }
    }

    @Test
    void shouldRefuseDataRoutesWithoutAKeyInTheOneErrorShape() throws IOException {
        final JsonNode refused = get("/v1/stats", null, 401);
        assertEquals(2, refused.size(), refused.toString());
        assertTrue(refused.has("error") && refused.has("message"), refused.toString());
    }

    @Test
    void shouldAnswerUnknownPathsWith404() throws IOException {
        final JsonNode missing = get("/v1/nothing-here", TestServer.ADMIN_KEY, 404);
        assertTrue(missing.has("error"), missing.toString());
    }
}
