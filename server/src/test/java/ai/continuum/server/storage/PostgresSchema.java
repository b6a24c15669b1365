package ai.continuum.server.storage;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A private schema in a real PostgreSQL for one test class: {@code CONTINUUM_TEST_PG_URL}, else the local server
 * (127.0.0.1:5432, database test, user postgres). Tests are skipped, loudly, when neither answers.
 */
final class PostgresSchema implements AutoCloseable {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String baseUrl;
    private final String schema;

    private PostgresSchema(final String baseUrl, final String schema) {
        this.baseUrl = baseUrl;
        this.schema = schema;
    }

    static PostgresSchema create() {
        final String env = System.getenv("CONTINUUM_TEST_PG_URL");
        final String url = env == null || env.isBlank() ? DEFAULT_URL : env;
        final String schema = "continuum_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(url);
             Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (final SQLException e) {
            System.err.println("*** SKIPPING PostgreSQL storage tests: no PostgreSQL at " + url + " (" + e.getMessage()
                + "); set CONTINUUM_TEST_PG_URL to run them ***");
            Assumptions.abort("no PostgreSQL reachable at " + url);
        }
        return new PostgresSchema(url, schema);
    }

    /** The connection string that confines a storage to this schema. */
    String url() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(baseUrl);
             Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
