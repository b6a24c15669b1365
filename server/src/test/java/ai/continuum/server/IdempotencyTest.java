package ai.continuum.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.storage.PostgresSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Idempotency-Key}: a retry returns the original answer and applies nothing, on learn, turn, memory create and
 * import, across a restart, and across two instances on one PostgreSQL racing with the same key.
 */
// Real socket: retries race over concurrent connections and a restart of the whole server.
class IdempotencyTest {
    @TempDir
    Path dir;

    private static TestServer.Reply post(
            final TestServer server,
            final String path,
            final String key,
            final String idempotencyKey,
            final String json) {
        return server.send(server.builder(path, key)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private static long length(final TestServer server, final String key) {
        return server.get("/v1/continuity", key).json().get("length").asLong();
    }

    @Test
    void shouldAnswerARetryWithTheOriginalResultAndApplyNothingAcrossARestart() {
        final String learn = "{\"user_message\":\"Harbor Project kickoff\",\"ai_response\":\"Harbor Project starts "
                + "with the Lighthouse Team.\"}";
        final String key;
        final TestServer.Reply first;
        try (TestServer server = TestServer.start(dir, Map.of())) {
            key = server.createKey("idem");
            first = post(server, "/v1/learn", key, "learn-1", learn);
            assertEquals(200, first.status(), first.body());
            assertNull(first.header("Idempotent-Replayed"));
            final TestServer.Reply retry = post(server, "/v1/learn", key, "learn-1", learn);
            assertEquals(200, retry.status(), retry.body());
            assertEquals("true", retry.header("Idempotent-Replayed"));
            assertEquals(first.json(), retry.json(), "the original answer, byte for byte in content");
            assertEquals(1, length(server, key), "the retry applied nothing");

            final TestServer.Reply reused = post(
                    server,
                    "/v1/learn",
                    key,
                    "learn-1",
                    "{\"user_message\":\"something else\",\"ai_response\":\"else\"}");
            assertEquals(422, reused.status(), reused.body());
            assertEquals("idempotency_key_reused", reused.json().get("error").asText());
            final TestServer.Reply async = post(
                    server,
                    "/v1/learn",
                    key,
                    "learn-async",
                    "{\"user_message\":\"a\",\"ai_response\":\"b\",\"async\":true}");
            assertEquals(422, async.status(), async.body());
            assertEquals(400, post(server, "/v1/learn", key, "has space", learn).status());

            final String memory = "{\"content\":\"The Lighthouse Team owns the Harbor Project\"}";
            final TestServer.Reply stored = post(server, "/v1/memories", key, "mem-1", memory);
            assertEquals(201, stored.status(), stored.body());
            final TestServer.Reply storedAgain = post(server, "/v1/memories", key, "mem-1", memory);
            assertEquals(201, storedAgain.status(), storedAgain.body());
            assertEquals(stored.json(), storedAgain.json());

            final String turn =
                    "{\"user_message\":\"What about the Harbor Project?\",\"ai_response\":\"It ships " + "in May.\"}";
            final TestServer.Reply turned = post(server, "/v1/turn", key, "turn-1", turn);
            assertEquals(200, turned.status(), turned.body());
            assertEquals(
                    turned.json(), post(server, "/v1/turn", key, "turn-1", turn).json());
            assertEquals(3, length(server, key), "one learn, one memory, one turn");
        }
        try (TestServer restarted = TestServer.start(dir, Map.of())) {
            final TestServer.Reply retry = post(restarted, "/v1/learn", key, "learn-1", learn);
            assertEquals(200, retry.status(), retry.body());
            assertEquals("true", retry.header("Idempotent-Replayed"));
            assertEquals(first.json(), retry.json());
            assertEquals(3, length(restarted, key), "keys are durable across a restart");
        }
    }

    @Test
    void shouldApplyOnceWhenTwoInstancesOnOnePostgresRaceWithTheSameKey() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create()) {
            final Map<ConfigKey, String> pg =
                    Map.of(ConfigKey.STORAGE_BACKEND, "postgresql", ConfigKey.CONNECTION_STRING, schema.url());
            try (TestServer a = TestServer.start(dir.resolve("a"), pg);
                    TestServer b = TestServer.start(dir.resolve("b"), pg);
                    ExecutorService clients = Executors.newFixedThreadPool(8)) {
                final String key = a.createKey("race");
                final int keys = 20;
                final List<CompletableFuture<TestServer.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < keys; i++) {
                    final String json =
                            "{\"user_message\":\"Race " + i + " on the Harbor Project\",\"ai_response\":" + "\"ok\"}";
                    final String idem = "race-" + i;
                    for (final TestServer server : List.of(a, b, a, b)) {
                        replies.add(CompletableFuture.supplyAsync(
                                () -> post(server, "/v1/learn", key, idem, json), clients));
                    }
                }
                final Set<String> memoryIds = new HashSet<>();
                for (final CompletableFuture<TestServer.Reply> f : replies) {
                    final TestServer.Reply r = f.join();
                    assertTrue(r.status() == 200 || r.status() == 409, r.status() + " " + r.body());
                    if (r.status() == 200) {
                        memoryIds.add(r.json().get("memory_id").asText());
                    }
                }
                assertEquals(keys, memoryIds.size(), "every answer for one key names the same memory");
                assertEquals(keys, length(a, key), "each key applied exactly once");
            }
        }
    }
}
