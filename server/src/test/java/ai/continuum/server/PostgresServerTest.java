package ai.continuum.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.storage.PostgresSchema;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server end to end on a real PostgreSQL ({@code CONTINUUM_TEST_PG_URL}, else the local server, else an embedded
 * one; see {@link PostgresSchema}), in a private schema dropped afterwards.
 */
// Real socket: checks the started server's storage wiring on PostgreSQL, start and restart.
class PostgresServerTest {
    @TempDir
    Path dataDir;

    private PostgresSchema schema;

    @BeforeEach
    void createSchema() {
        schema = PostgresSchema.create();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void shouldLearnAuthenticateAndRecallAcrossRestartOnPostgres() {
        final Map<ConfigKey, String> pg =
                Map.of(ConfigKey.STORAGE_BACKEND, "postgresql", ConfigKey.CONNECTION_STRING, schema.url());
        final String key;
        try (TestServer first = TestServer.start(dataDir, pg)) {
            key = first.createKey("pg-tenant");
            final TestServer.Reply learned = first.post(
                    "/v1/learn",
                    key,
                    Map.of(
                            "user_message",
                            "Remember the Aurora Borealis trip",
                            "ai_response",
                            "The Aurora Borealis trip is in Tromsø."));
            assertEquals(200, learned.status(), learned.body());
            assertEquals(200, first.get("/v1/ready", null).status());
        }
        try (TestServer second = TestServer.start(dataDir, pg)) {
            final TestServer.Reply recall = second.post("/v1/recall", key, Map.of("message", "Aurora Borealis"));
            assertEquals(200, recall.status(), recall.body());
            assertTrue(recall.json().get("concepts_found").asInt() >= 1, recall.body());
            assertEquals(1, recall.json().get("memories").size(), recall.body());
            final TestServer.Reply search = second.post("/v1/memories/search", key, Map.of("keyword", "tromsø"));
            assertEquals(1, search.json().get("total").asLong(), search.body());
        }
    }

    @Test
    void shouldSearchMemoriesByWordPrefixOnPostgresAndNeverFailOnAFilter() {
        final Map<ConfigKey, String> pg =
                Map.of(ConfigKey.STORAGE_BACKEND, "postgresql", ConfigKey.CONNECTION_STRING, schema.url());
        try (TestServer server = TestServer.start(dataDir, pg)) {
            final String key = server.createKey("search-tenant");
            final String other = server.createKey("other-tenant");
            store(server, key, "We moved the billing service to Kubernetes", "agent-1");
            store(server, key, "Grüße aus ZÜRICH, said the robert'); DROP TABLE messages;-- bot", "agent-2");
            store(server, key, "Budget_total is 50% of \"plan\" it's fine", "agent-1");
            store(server, other, "Kubernetes belongs to another tenant", "agent-1");

            assertEquals(
                    List.of("We moved the billing service to Kubernetes"),
                    texts(search(server, key, Map.of("keyword", "KUBE"))));
            assertEquals(
                    0,
                    search(server, key, Map.of("keyword", "ubernetes"))
                            .json()
                            .get("total")
                            .asLong(),
                    "PostgreSQL matches the start of words, not the inside");
            assertEquals(
                    1,
                    search(server, key, Map.of("keyword", "zürich bot"))
                            .json()
                            .get("total")
                            .asLong());
            assertEquals(
                    1,
                    search(server, key, Map.of("keyword", "budget_total \"plan\" it's"))
                            .json()
                            .get("total")
                            .asLong());
            assertEquals(
                    1,
                    search(server, key, Map.of("keyword", "kube", "session_id", "agent-1"))
                            .json()
                            .get("total")
                            .asLong());
            assertEquals(
                    0,
                    search(server, key, Map.of("keyword", "kube", "session_id", "agent-2"))
                            .json()
                            .get("total")
                            .asLong());

            for (final String hostile : List.of(
                    "'",
                    "\"",
                    "\\",
                    "&|!:*()",
                    "a:* | !b",
                    "<->",
                    "'); DROP TABLE " + "messages;--",
                    "%_%",
                    "🚀",
                    "東京",
                    "ﬀ İ ς",
                    "x".repeat(10_000))) {
                final TestServer.Reply r = search(server, key, Map.of("keyword", hostile));
                assertEquals(200, r.status(), hostile + ": " + r.body());
            }
            final TestServer.Reply tooMany =
                    search(server, key, Map.of("keyword", "a b c d e f g h i j k l m n o p q"));
            assertEquals(422, tooMany.status(), tooMany.body());
            assertEquals("validation_error", tooMany.json().get("error").asText());
            assertEquals(3, search(server, key, Map.of()).json().get("total").asLong(), "the table is still there");
        }
    }

    private static void store(final TestServer server, final String key, final String text, final String session) {
        final TestServer.Reply r = server.post("/v1/memories", key, Map.of("content", text, "session_id", session));
        assertEquals(201, r.status(), r.body());
    }

    private static TestServer.Reply search(final TestServer server, final String key, final Map<String, ?> body) {
        return server.post("/v1/memories/search", key, body);
    }

    private static List<String> texts(final TestServer.Reply r) {
        assertEquals(200, r.status(), r.body());
        final List<String> out = new ArrayList<>();
        r.json().get("memories").forEach(m -> out.add(m.get("user_message").asText()));
        return out;
    }
}
