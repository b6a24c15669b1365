package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.Await;
import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The happy path of every endpoint, each test on its own tenant. */
class EndpointsTest extends OneRoutingPerClass {

    private static long learn(final String key, final String user, final String ai) {
        final TestServer.Reply r = server.post(
                "/v1/learn", key, Map.of("user_message", user, "ai_response", ai, "session_id", "session-1"));
        assertEquals(200, r.status(), r.body());
        return r.json().get("memory_id").asLong();
    }

    @Test
    void shouldAnswerTurnWithRecallThenLearn() {
        final String key = server.createKey("turns");
        learn(key, "We deploy with Kubernetes Operators", "Kubernetes Operators manage Stateful Workloads.");
        final TestServer.Reply turn = server.post(
                "/v1/turn",
                key,
                Map.of(
                        "user_message",
                        "Do Kubernetes Operators help with upgrades?",
                        "ai_response",
                        "Yes, Kubernetes Operators automate Rolling Upgrades.",
                        "max_concepts",
                        5));
        assertEquals(200, turn.status(), turn.body());
        assertTrue(turn.json().get("recall").get("concepts_found").asInt() >= 1, turn.body());
        assertTrue(turn.json().get("learn").get("concepts_extracted").asInt() >= 1, turn.body());
        assertEquals(2, server.get("/v1/stats", key).json().get("messages").asLong());
    }

    @Test
    void shouldAcknowledgeAsyncLearnWith202() {
        final String key = server.createKey("async");
        final TestServer.Reply r = server.post(
                "/v1/learn",
                key,
                Map.of(
                        "user_message",
                        "Async Pipelines rock",
                        "ai_response",
                        "Async Pipelines indeed.",
                        "async",
                        true));
        assertEquals(202, r.status(), r.body());
        assertFalse(r.json().get("durable").asBoolean());
        assertEquals(1, server.get("/v1/stats", key).json().get("messages").asLong(), "visible at once");
    }

    @Test
    void shouldStoreListSearchGetAndDeleteMemories() {
        final String key = server.createKey("memories");
        final TestServer.Reply stored = server.post(
                "/v1/memories",
                key,
                Map.of(
                        "content",
                        "The launch code is " + "Blue Falcon",
                        "entity",
                        "agent-7",
                        "metadata",
                        Map.of("priority", 1)));
        assertEquals(201, stored.status(), stored.body());
        final long id = stored.json().get("id").asLong();
        final long learned = learn(key, "Remember the Harbor Bridge", "The Harbor Bridge opened in 1932.");

        final JsonNode list = server.get("/v1/memories?limit=10&offset=0", key).json();
        assertEquals(2, list.get("total").asLong(), list.toString());
        assertEquals(learned, list.get("memories").get(0).get("id").asLong(), "newest first");

        final JsonNode found = server.post("/v1/memories/search", key, Map.of("keyword", "blue falcon"))
                .json();
        assertEquals(1, found.get("total").asLong(), found.toString());
        assertEquals("agent-7", found.get("memories").get(0).get("session_id").asText());
        final JsonNode bySession = server.post(
                        "/v1/memories/search",
                        key,
                        Map.of(
                                "session_id",
                                "session-1",
                                "start_date",
                                "2000-01-01",
                                "end_date",
                                "2999-12-31T00:00:00Z"))
                .json();
        assertEquals(1, bySession.get("total").asLong(), bySession.toString());

        final TestServer.Reply one = server.get("/v1/memories/" + id, key);
        assertEquals(200, one.status());
        assertEquals(
                "The launch code is Blue Falcon", one.json().get("user_message").asText());
        assertEquals(1, one.json().get("metadata").get("priority").asInt());

        assertEquals(200, server.delete("/v1/memories/" + id, key).status());
        assertEquals(404, server.get("/v1/memories/" + id, key).status());
        assertEquals(404, server.delete("/v1/memories/" + id, key).status());
        assertEquals(1, server.get("/v1/memories", key).json().get("total").asLong());
    }

    @Test
    void shouldListGetAndDeleteConcepts() {
        final String key = server.createKey("concepts");
        learn(key, "Graph Databases and Vector Search", "Graph Databases pair well with Vector Search.");
        final JsonNode list = server.get("/v1/concepts?limit=50", key).json();
        assertTrue(list.get("total").asLong() >= 2, list.toString());
        assertTrue(server.get("/v1/entities?entity_type=concept", key)
                        .json()
                        .get("entities")
                        .size()
                >= 2);
        assertEquals(400, server.get("/v1/concepts?entity_type=planet", key).status());

        final TestServer.Reply concept = server.get("/v1/concepts/graph%20databases", key);
        assertEquals(200, concept.status(), concept.body());
        assertEquals("Graph Databases", concept.json().get("name").asText());
        assertFalse(concept.json().get("neighbours").isEmpty(), concept.body());
        assertTrue(concept.body().contains("\"name\":\"Vector Search\""), concept.body());

        assertEquals(200, server.delete("/v1/concepts/Graph%20Databases", key).status());
        assertEquals(404, server.get("/v1/concepts/graph%20databases", key).status());
    }

    @Test
    void shouldReportContinuityHeadGrowingWithWrites() {
        final String key = server.createKey("chain");
        final JsonNode before = server.get("/v1/continuity", key).json();
        learn(key, "Hash Chains protect History", "Hash Chains indeed protect History.");
        final JsonNode after = server.get("/v1/continuity", key).json();
        assertEquals("chain", after.get("tenant_id").asText());
        assertEquals(before.get("length").asLong() + 1, after.get("length").asLong(), after.toString());
        assertFalse(after.get("head").asText().equals(before.get("head").asText()));
    }

    @Test
    void shouldCountLearnAndRecallInMetrics() {
        final String key = server.createKey("metered");
        learn(key, "Metrics Pipelines", "Metrics Pipelines export Prometheus Text.");
        server.post("/v1/recall", key, Map.of("message", "Metrics Pipelines"));
        // A request's duration is recorded after its answer went out: wait (bounded) for the learn's.
        final String text = Await.scrapeShowing(
                () -> server.get("/metrics", null).body(),
                "continuum_http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/learn\"");
        assertTrue(text.contains("continuum_learn_operations_total{result=\"success\"}"), text);
        assertTrue(text.contains("continuum_recall_operations_total{result=\"hit\"}"), text);
        assertTrue(text.contains("\ncontinuum_concepts_total "), text);
        assertTrue(text.contains("\ncontinuum_memories_total "), text);
        assertFalse(text.contains("metered"), "tenant names stay out of the metrics by default:\n" + text);
        assertTrue(text.contains("continuum_storage_queue_depth"), text);
        assertTrue(text.contains("continuum_storage_commit_latency_seconds_bucket"), text);
        assertTrue(text.contains("\ncontinuum_term_index_backlog "), text);
        assertTrue(text.contains("\ncontinuum_semantic_backlog 0.0"), text);
        // The learn above was indexed (the recall after it saw to that), and its delay was recorded.
        assertFalse(text.contains("\ncontinuum_term_index_delay_seconds_count 0.0"), text);
        assertTrue(text.contains("continuum_term_index_delay_seconds_bucket{le=\"0.1\"}"), text);
    }
}
