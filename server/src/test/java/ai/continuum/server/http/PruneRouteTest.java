package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.ConceptView;
import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/prune} on the real routing: it removes exactly the links below the threshold from the engine and the
 * database alike, reports them, acts on the key's tenant only, answers a retry with the same {@code Idempotency-Key}
 * without pruning again, and refuses every malformed option with the API's one error shape, writing nothing.
 */
class PruneRouteTest extends OneRoutingPerClass {
    /** Learned three times: its links are seen three times (0.40 with the seed parameters). */
    private static final Map<String, String> STRONG = Map.of(
            "user_message", "Does the Billing Service call the Payment Gateway?",
            "ai_response", "Yes, the Billing Service calls the Payment Gateway.");
    /** Learned once: its links are seen once (0.10). */
    private static final Map<String, String> WEAK = Map.of(
            "user_message", "Where does the Harbor Bridge log?",
            "ai_response", "The Harbor Bridge logs to the Search Index.");

    @Test
    void shouldPruneTheLinksBelowTheThresholdInTheEngineAndTheDatabase() {
        final String key = server.createKey("prune-main");
        final String otherKey = server.createKey("prune-other");
        learn(key, STRONG, 3);
        learn(key, WEAK, 1);
        learn(otherKey, WEAK, 1);
        final long linksBefore = links("prune-main");
        final long weakLinks = linksBelow("prune-main", 0.3);
        assertTrue(weakLinks > 0 && weakLinks < linksBefore, weakLinks + " of " + linksBefore + " below 0.3");
        final long otherBefore = links("prune-other");

        final TestServer.Reply r = server.post("/v1/prune", key, Map.of("min_strength", 0.3));

        assertEquals(200, r.status(), r.body());
        final JsonNode report = r.json();
        assertEquals(linksBefore, report.get("links_examined").asLong());
        assertEquals(weakLinks, report.get("links_pruned").asLong());
        assertEquals(0.3, report.get("threshold").asDouble());
        assertFalse(report.get("decay_applied").asBoolean(), "time decay is off by default");
        assertTrue(report.get("avg_strength_after").asDouble() >= 0.3, report.toString());
        assertTrue(
                report.get("avg_strength_before").asDouble()
                        < report.get("avg_strength_after").asDouble(),
                report.toString());
        assertEquals("prune-main", report.get("tenant_id").asText());
        assertEquals(report.get("position").asText(), r.header("Continuum-Position"));
        assertEquals(
                server.core().continuity("prune-main").length(),
                report.get("position").asLong(),
                "the prune is an op of the tenant's chain");

        assertEquals(linksBefore - weakLinks, links("prune-main"));
        assertEquals(0, linksBelow("prune-main", 0.3));
        assertEquals(linksBefore - weakLinks, storedLinks("prune-main"), "the database holds what the engine holds");
        assertEquals(otherBefore, links("prune-other"), "another tenant's links are untouched");
        assertEquals(
                linksBefore - weakLinks,
                server.get("/v1/stats", key).json().get("attention_links").asLong());
    }

    @Test
    void shouldPruneNothingWithTheDefaultsWhenTimeDecayIsOff() {
        final String key = server.createKey("prune-defaults");
        learn(key, WEAK, 1);
        final long before = links("prune-defaults");
        for (final TestServer.Reply r : List.of(
                server.post("/v1/prune", key, "{}"), server.exchange("POST", "/v1/prune", key, Map.of(), null))) {
            assertEquals(200, r.status(), r.body());
            assertEquals(0.05, r.json().get("threshold").asDouble());
            assertEquals(before, r.json().get("links_examined").asLong());
            assertEquals(0, r.json().get("links_pruned").asLong(), "undecayed strength never falls below 0.10");
        }
        assertEquals(before, links("prune-defaults"));
    }

    @Test
    void shouldAnswerARetryWithTheSameIdempotencyKeyWithoutPruningAgain() {
        final String key = server.createKey("prune-retry");
        learn(key, WEAK, 1);
        final TestServer.Reply first = prune(key, "prune-1", "{\"min_strength\": 0.3}");
        assertEquals(200, first.status(), first.body());
        assertTrue(first.json().get("links_pruned").asLong() > 0, first.body());
        learn(key, WEAK, 1); // the same weak links again, after the prune
        final long weakAgain = links("prune-retry");
        final long length = server.core().continuity("prune-retry").length();

        final TestServer.Reply retry = prune(key, "prune-1", "{\"min_strength\": 0.3}");

        assertEquals(200, retry.status(), retry.body());
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(first.json(), retry.json(), "the original report");
        assertEquals(weakAgain, links("prune-retry"), "nothing pruned the second time");
        assertEquals(length, server.core().continuity("prune-retry").length(), "nothing committed");
        final TestServer.Reply reused = prune(key, "prune-1", "{\"min_strength\": 0.5}");
        assertEquals(422, reused.status(), reused.body());
        assertEquals("idempotency_key_reused", reused.json().get("error").asText());
    }

    @Test
    void shouldRefuseBadOptionsWithTheErrorShapeAndWriteNothing() {
        final String key = server.createKey("prune-bad");
        learn(key, WEAK, 1);
        final long links = links("prune-bad");
        final long length = server.core().continuity("prune-bad").length();
        final Map<String, Integer> bodies = new java.util.LinkedHashMap<>();
        bodies.put("{\"min_strength\": -0.1}", 422);
        bodies.put("{\"min_strength\": 1.5}", 422);
        bodies.put("{\"min_strength\": 1e400}", 422);
        bodies.put("{\"min_strength\": \"0.3\"}", 422);
        bodies.put("{\"min_strength\": true}", 422);
        bodies.put("{\"apply_decay\": \"yes\"}", 422);
        bodies.put("{\"threshold\": 0.3}", 422);
        bodies.put("[0.3]", 400);
        bodies.put("{\"min_strength\": 0.3", 400);
        for (final Map.Entry<String, Integer> bad : bodies.entrySet()) {
            final TestServer.Reply r = server.post("/v1/prune", key, bad.getKey());
            assertEquals((int) bad.getValue(), r.status(), bad.getKey() + ": " + r.body());
            assertErrorShape(r, bad.getKey());
        }
        final TestServer.Reply text = server.exchange(
                "POST",
                "/v1/prune",
                key,
                Map.of("Content-Type", "text/plain"),
                "min_strength=0.3".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, text.status(), text.body());
        assertErrorShape(text, "text/plain");
        final TestServer.Reply noKey = server.post("/v1/prune", null, "{\"min_strength\": 1.0}");
        assertEquals(401, noKey.status(), noKey.body());
        assertErrorShape(noKey, "no key");
        final TestServer.Reply get = server.get("/v1/prune", key);
        assertEquals(405, get.status(), get.body());

        assertEquals(links, links("prune-bad"), "no refused request pruned");
        assertEquals(length, server.core().continuity("prune-bad").length(), "no refused request committed");
    }

    private static void assertErrorShape(final TestServer.Reply r, final String what) {
        final JsonNode json = r.json();
        assertTrue(
                json != null && json.size() == 2 && json.has("error") && json.has("message"), what + ": " + r.body());
    }

    private static TestServer.Reply prune(final String key, final String idempotencyKey, final String body) {
        return server.exchange(
                "POST",
                "/v1/prune",
                key,
                Map.of("Content-Type", "application/json", "Idempotency-Key", idempotencyKey),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static void learn(final String key, final Map<String, String> turn, final int times) {
        for (int i = 0; i < times; i++) {
            final TestServer.Reply r = server.post("/v1/learn", key, turn);
            assertEquals(200, r.status(), r.body());
        }
    }

    private static long links(final String tenant) {
        return server.core().stats(tenant).links();
    }

    /** Links below {@code threshold} in the engine, each counted once (from both ends, halved). */
    private static long linksBelow(final String tenant, final double threshold) {
        long ends = 0;
        for (final ConceptView c : server.core().concepts(tenant, null, 0, 1_000)) {
            for (final ConceptView.Neighbour n :
                    server.core().concept(tenant, c.name(), 1_000).orElseThrow().neighbours()) {
                if (n.strength() < threshold) {
                    ends++;
                }
            }
        }
        return ends / 2;
    }

    private static long storedLinks(final String tenant) {
        final long[] links = {0};
        server.storage().load((t, delta) -> {
            if (t.equals(tenant)) {
                links[0] += delta.links().size();
            }
        });
        return links[0];
    }
}
