package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.DirectServer;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /v1/recall}'s {@code semantic} field on a service with the semantic index (recall.semantic.enabled). */
class SemanticToggleHttpTest {
    private static final String QUESTION = "How old is the granny?";

    @TempDir
    Path dataDir;

    /** Each model: the sentence model, and its light form, which must find the same rewording. */
    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2-q", "all-minilm-l6-v2-static"})
    void shouldUseTheSemanticIndexByDefaultAndLeaveItOutWhenTheRequestSaysFalse(final String model)
            throws InterruptedException {
        try (DirectServer server = DirectServer.start(
                dataDir, Map.of(ConfigKey.SEMANTIC_INDEX, "true", ConfigKey.SEMANTIC_MODEL, model))) {
            final String key = server.createKey("semantic");
            final TestServer.Reply learned = server.post(
                    "/v1/learn",
                    key,
                    Map.of(
                            "user_message",
                            "My grandmother turned one hundred yesterday.",
                            "ai_response",
                            "Wonderful news!"));
            assertEquals(200, learned.status(), learned.body());

            // embedding runs in the background: wait (bounded) until the default recall finds the memory by meaning
            double semantic = 0;
            for (int i = 0; i < 300 && semantic == 0; i++) {
                semantic = semanticOf(server.post("/v1/recall", key, Map.of("message", QUESTION)));
                if (semantic == 0) {
                    Thread.sleep(100);
                }
            }
            assertTrue(semantic > 0, "the default recall uses the semantic index");

            final TestServer.Reply off = server.post("/v1/recall", key, Map.of("message", QUESTION, "semantic", false));
            assertEquals(200, off.status(), off.body());
            assertEquals(0.0, semanticOf(off), off.body());
            assertTrue(semanticOf(server.post("/v1/recall", key, Map.of("message", QUESTION, "semantic", true))) > 0);
        }
    }

    /** The largest semantic evidence among the returned memories. */
    private static double semanticOf(final TestServer.Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        double max = 0;
        for (final JsonNode memory : reply.json().get("memories")) {
            max = Math.max(max, memory.get("why").get("semantic").asDouble());
        }
        return max;
    }
}
