package ai.continuum.server;

import ai.continuum.server.config.ConfigKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server end to end on a real PostgreSQL ({@code CONTINUUM_TEST_PG_URL}, else the local server), in a private
 * schema dropped afterwards. Skipped, loudly, when no PostgreSQL answers.
 */
class PostgresServerTest {
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dataDir;
    private String baseUrl;
    private String schema;

    @BeforeEach
    void createSchema() {
        final String env = System.getenv("CONTINUUM_TEST_PG_URL");
        baseUrl = env == null || env.isBlank() ? DEFAULT_URL : env;
        schema = "continuum_http_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(baseUrl); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (final SQLException e) {
            System.err.println("*** SKIPPING PostgreSQL server test: no PostgreSQL at " + baseUrl + " ("
                + e.getMessage() + "); set CONTINUUM_TEST_PG_URL to run it ***");
            schema = null;
            Assumptions.abort("no PostgreSQL reachable");
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(baseUrl); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void shouldLearnAuthenticateAndRecallAcrossRestartOnPostgres() {
        final Map<ConfigKey, String> pg = Map.of(ConfigKey.STORAGE_BACKEND, "postgresql",
            ConfigKey.CONNECTION_STRING, baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
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
