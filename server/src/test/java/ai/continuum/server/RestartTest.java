package ai.continuum.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestartTest {
    @Test
    void shouldRecallLearnedTurnAfterRestartOnSameDataDir(@TempDir final Path dataDir) {
        final String key;
        final long chainLength;
        try (TestServer first = TestServer.start(dataDir)) {
            key = first.createKey("durable");
            assertEquals(200, first.post("/v1/learn", key, Map.of("user_message", "Remember Lighthouse Keeper",
                "ai_response", "Lighthouse Keeper noted.")).status());
            assertEquals(202, first.post("/v1/learn", key, Map.of("user_message", "Also Harbor Master",
                "ai_response", "Harbor Master noted, Lighthouse Keeper too.", "async", true)).status());
            chainLength = first.get("/v1/continuity", key).json().get("length").asLong();
        }
        try (TestServer second = TestServer.start(dataDir)) {
            final TestServer.Reply recall = second.post("/v1/recall", key, Map.of("message",
                "Lighthouse Keeper and Harbor Master"));
            assertEquals(200, recall.status(), recall.body() + " (the key must survive the restart too)");
            assertTrue(recall.json().get("concepts_found").asInt() >= 2, recall.body());
            assertEquals(2, recall.json().get("memories").size(), recall.body());
            assertEquals(2, second.get("/v1/stats", key).json().get("messages").asLong());
            assertTrue(second.get("/v1/continuity", key).json().get("length").asLong() >= chainLength);
        }
    }

    @Test
    void shouldFailLoudlyWhenPortIsTaken(@TempDir final Path dataDir) {
        try (TestServer first = TestServer.start(dataDir.resolve("a"))) {
            final IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> TestServer.start(dataDir.resolve("b"), Map.of(ai.continuum.server.config.ConfigKey.PORT,
                    Integer.toString(first.server().port()))));
            assertTrue(e.getMessage().contains(Integer.toString(first.server().port())), e.getMessage());
        }
    }
}
