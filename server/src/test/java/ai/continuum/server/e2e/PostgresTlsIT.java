package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestPki;
import ai.continuum.server.TestPki.Issued;
import ai.continuum.server.TestPki.Pem;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on a PostgreSQL that speaks TLS only ({@code ssl=on}, and {@code pg_hba.conf} rejecting plain
 * connections), connecting with {@code sslmode=verify-full} and the CA's certificate in {@code sslrootcert}: the
 * connections are encrypted and the server's certificate chain and host name are checked. The host name the
 * certificate does not carry, or a CA that did not issue it, stops the start with an error that says so.
 *
 * <p>The PostgreSQL is the test's own cluster ({@link PrivatePostgres}) with a certificate made here, never the shared
 * one other tests use.
 */
class PostgresTlsIT {
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void connectsWithVerifyFullAndRefusesAWrongHostOrCa(@TempDir final Path dir) throws Exception {
        final Issued ca = TestPki.ca("Database CA");
        final Issued other = TestPki.ca("Another CA");
        // The certificate names localhost only: 127.0.0.1 is the wrong host for verify-full.
        final Pem serverFiles =
                TestPki.server(ca, "localhost", List.of("localhost")).writePem(dir, "pg-server");
        Files.setPosixFilePermissions(serverFiles.key(), PosixFilePermissions.fromString("rw-------"));
        final Path caFile = ca.writeCertificate(dir.resolve("db-ca.pem"));
        final Path otherCaFile = other.writeCertificate(dir.resolve("other-ca.pem"));
        try (PrivatePostgres pg = PrivatePostgres.create(
                dir.resolve("pg"),
                Map.of(
                        "ssl",
                        "on",
                        "ssl_cert_file",
                        serverFiles.certificate().toString(),
                        "ssl_key_file",
                        serverFiles.key().toString(),
                        "ssl_min_protocol_version",
                        "TLSv1.2"))) {
            pg.createDatabase("continuum");
            // TLS only from now on: plain TCP connections are rejected by the server.
            pg.stop();
            Files.writeString(pg.dataDir().resolve("pg_hba.conf"), """
                    local     all all                trust
                    hostssl   all all 127.0.0.1/32   trust
                    hostssl   all all ::1/128        trust
                    hostnossl all all 0.0.0.0/0      reject
                    hostnossl all all ::/0           reject
                    """);
            pg.start();
            final String base = "localhost:" + pg.port() + "/continuum";
            final String verifyFull =
                    "jdbc:postgresql://" + base + "?user=postgres&sslmode=verify-full&sslrootcert=" + caFile;

            try (TestServer server = TestServer.start(
                    dir.resolve("data"),
                    Map.of(ConfigKey.STORAGE_BACKEND, "postgresql", ConfigKey.CONNECTION_STRING, verifyFull))) {
                final String key = server.createKey("tls-tenant");
                assertEquals(
                        200,
                        server.post(
                                        "/v1/learn",
                                        key,
                                        "{\"user_message\":\"The ledger moved to the TLS-only database\","
                                                + "\"ai_response\":\"Noted.\"}")
                                .status());
                assertEquals(200, server.get("/v1/ready", null).status());
                // Every connection of the service's pool to this database is encrypted.
                try (Connection c = DriverManager.getConnection(verifyFull);
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM "
                                + "pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = 'continuum'")) {
                    rs.next();
                    assertTrue(rs.getLong(2) >= 2, "the service and this check are connected");
                    assertEquals(rs.getLong(2), rs.getLong(1), "every connection uses TLS");
                }
            }

            // The libpq URI form, as DATABASE_URL is usually written, with the same TLS settings.
            try (TestServer server = TestServer.start(
                    dir.resolve("data"),
                    Map.of(
                            ConfigKey.STORAGE_BACKEND,
                            "postgresql",
                            ConfigKey.CONNECTION_STRING,
                            "postgresql://postgres@" + base + "?sslmode=verify-full&sslrootcert=" + caFile))) {
                assertEquals(200, server.get("/v1/ready", null).status());
            }

            final String wrongHost = "jdbc:postgresql://127.0.0.1:" + pg.port()
                    + "/continuum?user=postgres&sslmode=verify-full&sslrootcert=" + caFile;
            final RuntimeException hostRefused = assertThrows(
                    RuntimeException.class,
                    () -> TestServer.start(
                                    dir.resolve("data-wrong-host"),
                                    Map.of(
                                            ConfigKey.STORAGE_BACKEND,
                                            "postgresql",
                                            ConfigKey.CONNECTION_STRING,
                                            wrongHost))
                            .close());
            assertTrue(
                    causes(hostRefused).contains("127.0.0.1")
                            && causes(hostRefused).contains("hostname"),
                    causes(hostRefused));

            final String wrongCa =
                    "jdbc:postgresql://" + base + "?user=postgres&sslmode=verify-full&sslrootcert=" + otherCaFile;
            final RuntimeException caRefused = assertThrows(
                    RuntimeException.class,
                    () -> TestServer.start(
                                    dir.resolve("data-wrong-ca"),
                                    Map.of(
                                            ConfigKey.STORAGE_BACKEND,
                                            "postgresql",
                                            ConfigKey.CONNECTION_STRING,
                                            wrongCa))
                            .close());
            assertTrue(causes(caRefused).contains("certification path"), causes(caRefused));

            final String plain = "jdbc:postgresql://" + base + "?user=postgres&sslmode=disable";
            final RuntimeException plainRefused = assertThrows(
                    RuntimeException.class,
                    () -> TestServer.start(
                                    dir.resolve("data-plain"),
                                    Map.of(ConfigKey.STORAGE_BACKEND, "postgresql", ConfigKey.CONNECTION_STRING, plain))
                            .close());
            assertTrue(causes(plainRefused).contains("no encryption"), causes(plainRefused));
        }
    }

    /** Every message in the cause chain, as an operator reading the log sees them. */
    private static String causes(final Throwable e) {
        final StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t.getClass().getSimpleName())
                    .append(": ")
                    .append(t.getMessage())
                    .append('\n');
        }
        return out.toString();
    }
}
