package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.Await;
import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiEndToEndTest extends OneRoutingPerClass {

    static String key;

    @BeforeAll
    static void start() {
        key = server.createKey("acme");
    }

    @Test
    void shouldLearnThenRecallWhenTurnMentionsConcepts() {
        final TestServer.Reply learn = server.post(
                "/v1/learn",
                key,
                Map.of(
                        "user_message",
                        "How does Spreading Activation work in the Knowledge Graph?",
                        "ai_response",
                        "Spreading Activation walks the Knowledge Graph. I will explain TensorFlow later.",
                        "session_id",
                        "s1",
                        "metadata",
                        Map.of("source", "test")));
        assertEquals(200, learn.status(), learn.body());
        assertTrue(learn.json().get("concepts_extracted").asInt() >= 2, learn.body());
        assertTrue(learn.json().get("durable").asBoolean());
        assertEquals("acme", learn.json().get("tenant_id").asText());

        final TestServer.Reply recall =
                server.post("/v1/recall", key, Map.of("message", "Tell me about the Knowledge " + "Graph"));
        assertEquals(200, recall.status(), recall.body());
        final JsonNode body = recall.json();
        assertTrue(body.get("concepts_found").asInt() >= 1, recall.body());
        assertTrue(body.get("context").asText().contains("[MEMORY CONTEXT]"), recall.body());
        assertFalse(body.get("memories").isEmpty(), recall.body());
        assertEquals("s1", body.get("memories").get(0).get("session_id").asText());
        final JsonNode why = body.get("memories").get(0).get("why");
        assertTrue(why.get("reasons").toString().contains("lexical"), recall.body());
        assertTrue(why.get("lexical").asDouble() > 0, recall.body());
        assertFalse(why.get("newer_statement").asBoolean(), recall.body());
    }

    @Test
    void shouldServeHealthWithoutKey() {
        final TestServer.Reply health = server.get("/v1/health", null);
        assertEquals(200, health.status());
        assertEquals("healthy", health.json().get("status").asText());
        assertEquals(200, server.get("/v1/ready", null).status());
    }

    @Test
    void shouldExposePrometheusMetricsWithRouteTemplates() {
        server.get("/v1/memories/12345", key);
        final TestServer.Reply metrics = server.get("/metrics", null);
        assertEquals(200, metrics.status());
        // The request is counted after its answer went out: wait (bounded) for its series.
        final String text = Await.scrapeShowing(
                () -> server.get("/metrics", null).body(),
                "continuum_http_requests_total{",
                "route=\"/v1/memories/{id}\"");
        assertFalse(text.contains("route=\"/v1/memories/12345\""), text);
        assertTrue(text.contains("continuum_pi_phi_constant 5.08"), text);
        assertTrue(text.contains("# TYPE continuum_concepts_total gauge"), text);
        assertTrue(text.contains("# TYPE continuum_federation_sync_lag_seconds gauge"), text);
        assertNotNull(text);
    }

    @Test
    void shouldAnswerJsonNotFoundForUnknownPath() {
        final TestServer.Reply r = server.get("/v1/nothing-here", key);
        assertEquals(404, r.status(), r.body());
        assertEquals("not_found", r.json().get("error").asText());
    }
}
