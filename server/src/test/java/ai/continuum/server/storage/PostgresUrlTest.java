package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Both forms of the PostgreSQL connection string become a JDBC URL and driver properties; no error shows a password.
 * The override test needs a real PostgreSQL ({@link PostgresSchema}).
 */
class PostgresUrlTest {
    @Test
    void shouldPassTheJdbcFormThrough() {
        final PostgresUrl url = PostgresUrl.parse(" jdbc:postgresql://db:5432/continuum?user=app&password=pw ");
        assertEquals("jdbc:postgresql://db:5432/continuum?user=app&password=pw", url.jdbcUrl());
        assertNull(url.user());
        assertNull(url.password());
        assertEquals("true", url.properties().getProperty("reWriteBatchedInserts"));
    }

    @Test
    void shouldTurnTheLibpqUriIntoAJdbcUrlWithDecodedCredentials() {
        final PostgresUrl url = PostgresUrl.parse("postgresql://app:p%40ss%2Fw+rd@db.example:6543/continuum"
                + "?sslmode=require&ApplicationName=continuum");
        assertEquals(
                "jdbc:postgresql://db.example:6543/continuum?sslmode=require&ApplicationName=continuum", url.jdbcUrl());
        assertEquals("app", url.user());
        assertEquals("p@ss/w+rd", url.password());
        final Properties p = url.properties();
        assertEquals("app", p.getProperty("user"));
        assertEquals("p@ss/w+rd", p.getProperty("password"));
        assertEquals("true", p.getProperty("reWriteBatchedInserts"));
    }

    @Test
    void shouldFillInDefaultsAndKeepHostListsAndIpv6Hosts() {
        assertEquals(
                "jdbc:postgresql://db:5432/continuum",
                PostgresUrl.parse("postgres://db/continuum").jdbcUrl());
        assertEquals(
                "jdbc:postgresql://db:5432/",
                PostgresUrl.parse("postgresql://u@db").jdbcUrl());
        assertEquals("u", PostgresUrl.parse("postgresql://u@db").user());
        assertNull(PostgresUrl.parse("postgresql://u@db").password());
        assertEquals(
                "jdbc:postgresql://h1:5433,h2:5432/db?targetServerType=primary",
                PostgresUrl.parse("postgresql://u:pw@h1:5433,h2/db?targetServerType=primary")
                        .jdbcUrl());
        assertEquals(
                "jdbc:postgresql://[::1]:5433/db",
                PostgresUrl.parse("postgresql://[::1]:5433/db").jdbcUrl());
        assertEquals(
                "jdbc:postgresql://[::1]:5432/db",
                PostgresUrl.parse("postgresql://[::1]/db").jdbcUrl());
        assertEquals("a@b", PostgresUrl.parse("postgresql://u:a@b@db/x").password(), "the last @ ends the password");
    }

    @Test
    void shouldBoundTheWaitForTheServerByDefault() {
        final Properties p = PostgresUrl.parse("postgresql://db/x").properties();
        assertEquals("300", p.getProperty("socketTimeout"));
        assertEquals("true", p.getProperty("tcpKeepAlive"));
        assertEquals(KeepAliveSocketFactory.class.getName(), p.getProperty("socketFactory"));
        assertEquals(
                p, PostgresUrl.parse("jdbc:postgresql://db/x").properties(), "the JDBC form has the same defaults");
    }

    /** The driver takes a URL parameter over the property of the same name: the connection string can lift a default. */
    @Test
    void shouldLetTheConnectionStringOverrideTheDefaults() throws SQLException {
        try (PostgresSchema schema = PostgresSchema.create()) {
            assertEquals(300_000, networkTimeoutMs(schema.url()));
            assertEquals(0, networkTimeoutMs(schema.url() + "&socketTimeout=0"));
            assertEquals(7_000, networkTimeoutMs(schema.libpqUri("pw") + "&socketTimeout=7"));
        }
    }

    /**
     * The driver's socket probes a silent server after a minute, not the system's default two hours: the kernel's
     * timer on the connection ({@code /proc/net/tcp}, the client's port as the server saw it) is a keepalive timer due
     * within {@code IDLE_SECONDS}. Linux only; a default socket there shows 7,200 s.
     */
    @Test
    void shouldProbeASilentServerAfterAMinute() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
        try (PostgresSchema schema = PostgresSchema.create();
                Connection c = PostgresStorage.connect(schema.url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT inet_client_port()")) {
            assertTrue(rs.next());
            final int port = rs.getInt(1);
            assertTrue(port > 0, "a TCP connection");
            final String timer = kernelTimer(port);
            assertTrue(timer.startsWith("02:"), "a keepalive timer runs on the idle connection: " + timer);
            final long dueSeconds = Long.parseLong(timer.substring(3), 16) / 100; // in USER_HZ ticks
            assertTrue(
                    dueSeconds <= KeepAliveSocketFactory.IDLE_SECONDS,
                    "the first probe is due within a minute, not the system's default: " + dueSeconds + " s");
        }
    }

    /** The {@code tr:tm->when} column of the local socket bound to {@code port}, from {@code /proc/net/tcp[6]}. */
    private static String kernelTimer(final int port) throws IOException {
        final String localPort = String.format(":%04X", port);
        for (final String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            final Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            for (final String line : Files.readAllLines(path)) {
                final String[] f = line.strip().split("\\s+", -1);
                if (f.length > 5 && f[1].endsWith(localPort) && f[3].equals("01")) { // 01: ESTABLISHED
                    return f[5];
                }
            }
        }
        throw new AssertionError("no established socket on local port " + port);
    }

    private static int networkTimeoutMs(final String connectionString) throws SQLException {
        try (Connection c = PostgresStorage.connect(connectionString)) {
            return c.getNetworkTimeout();
        }
    }

    @Test
    void shouldRefuseWhatIsNotAPostgresConnectionStringWithoutShowingThePassword() {
        for (final String bad : List.of(
                "mysql://u:s3cret@db/x",
                "postgresql://u:s3cret@/x",
                "postgresql://u:s3cret@db:99999/x",
                "postgresql://u:s3cret@db:port/x",
                "postgresql://u:%zz@db/x",
                "postgresql://u:s3cret@[::1/x",
                "postgresql://u:s3cret@db,/x",
                "db.example.com:5432")) {
            final IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse(bad), bad);
            assertFalse(e.getMessage().contains("s3cret") || e.getMessage().contains("%zz"), e.getMessage());
            assertTrue(e.getMessage().startsWith("invalid PostgreSQL connection string"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse(null));
        assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse(" "));
    }

    @Test
    void shouldRedactPasswordsInBothForms() {
        assertEquals("postgresql://app:***@db/x", PostgresUrl.redact("postgresql://app:p@ss@db/x"));
        assertEquals(
                "jdbc:postgresql://db/x?user=app&password=***&ssl=true",
                PostgresUrl.redact("jdbc:postgresql://db/x?user=app&password=pw&ssl=true"));
        assertFalse(PostgresUrl.parse("postgresql://app:s3cret@db/x").toString().contains("s3cret"));
    }
}
