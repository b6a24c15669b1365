package ai.continuum.server;

import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.storage.PostgresSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server end to end on a real PostgreSQL ({@code CONTINUUM_TEST_PG_URL}, else the local server, else an embedded
 * one; see {@link PostgresSchema}), in a private schema dropped afterwards.
 */
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
        final Map<ConfigKey, String> pg = Map.of(ConfigKey.STORAGE_BACKEND, "postgresql",
            ConfigKey.CONNECTION_STRING, schema.url());
        final String key;
        try (TestServer first = TestServer.start(dataDir, pg)) {
            key = first.createKey("pg-tenant");
            final TestServer.Reply learned = first.post("/v1/learn", key, Map.of("user_message",
                "Remember the Aurora Borealis trip", "ai_response", "The Aurora Borealis trip is in Tromsø."));
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
}
