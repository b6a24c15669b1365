package ai.continuum.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.config.ConfigKey;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartIT {
    @Test
    void shouldRecallLearnedTurnAfterRestartOnSameDataDir(@TempDir final Path dataDir) {
        final String key;
        final long chainLength;
        try (TestServer first = TestServer.start(dataDir)) {
            key = first.createKey("durable");
            assertEquals(
                    200,
                    first.post(
                                    "/v1/learn",
                                    key,
                                    Map.of(
                                            "user_message",
                                            "Remember Lighthouse Keeper",
                                            "ai_response",
                                            "Lighthouse Keeper noted."))
                            .status());
            assertEquals(
                    202,
                    first.post(
                                    "/v1/learn",
                                    key,
                                    Map.of(
                                            "user_message",
                                            "Also Harbor Master",
                                            "ai_response",
                                            "Harbor Master noted, Lighthouse Keeper too.",
                                            "async",
                                            true))
                            .status());
            chainLength = first.get("/v1/continuity", key).json().get("length").asLong();
        }
        try (TestServer second = TestServer.start(dataDir)) {
            final TestServer.Reply recall =
                    second.post("/v1/recall", key, Map.of("message", "Lighthouse Keeper and Harbor Master"));
            assertEquals(200, recall.status(), recall.body() + " (the key must survive the restart too)");
            assertTrue(recall.json().get("concepts_found").asInt() >= 2, recall.body());
            assertEquals(2, recall.json().get("memories").size(), recall.body());
            assertEquals(2, second.get("/v1/stats", key).json().get("messages").asLong());
            assertTrue(second.get("/v1/continuity", key).json().get("length").asLong() >= chainLength);
        }
    }

    @Test
    void shouldRebuildExactlyTheStateConcurrentWritesLeft(@TempDir final Path dataDir) throws Exception {
        final String key;
        final long checksumBefore;
        final JsonNode statsBefore;
        try (TestServer first = TestServer.start(dataDir)) {
            key = first.createKey("busy");
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                final List<Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    final int n = i;
                    statuses.add(pool.submit(() -> first.post(
                                    "/v1/learn",
                                    key,
                                    Map.of(
                                            "user_message",
                                            "Shared Topic and Project" + (char) ('A' + n % 26) + " Planning",
                                            "ai_response",
                                            "Shared Topic links to Release Train " + n,
                                            "async",
                                            n % 3 == 0))
                            .status()));
                }
                for (final Future<Integer> status : statuses) {
                    assertTrue(status.get() == 200 || status.get() == 202, "status " + status.get());
                }
            }
            statsBefore = first.get("/v1/stats", key).json();
            checksumBefore = first.server().engine().checksum("busy");
        }
        try (TestServer second = TestServer.start(dataDir)) {
            final JsonNode statsAfter = second.get("/v1/stats", key).json();
            assertEquals(120, statsAfter.get("messages").asLong());
            for (final String field :
                    new String[] {"entities", "messages", "decisions", "attention_links", "compound_concepts"}) {
                assertEquals(statsBefore.get(field), statsAfter.get(field), field);
            }
            assertEquals(
                    checksumBefore,
                    second.server().engine().checksum("busy"),
                    "the engine rebuilt from SQL equals the engine that served the writes");
        }
    }

    @Test
    void shouldFailLoudlyWhenPortIsTaken(@TempDir final Path dataDir) {
        try (TestServer first = TestServer.start(dataDir.resolve("a"))) {
            final IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> TestServer.start(
                            dataDir.resolve("b"),
                            Map.of(
                                    ConfigKey.PORT,
                                    Integer.toString(first.server().port()))));
            assertTrue(e.getMessage().contains(Integer.toString(first.server().port())), e.getMessage());
        }
    }
}
