package ai.continuum.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.storage.PostgresSchema;
import ai.continuum.server.storage.PostgresStorage;
import ai.continuum.server.storage.StorageSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code continuum doctor} on PostgreSQL, configured with the libpq URI form of the connection string. */
class DoctorPostgresTest {
    @TempDir
    Path dir;

    private PostgresSchema schema;

    @BeforeEach
    void createSchema() {
        schema = PostgresSchema.create();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.close();
    }

    @Test
    void shouldReachTheDatabaseAndReportItsSchemaVersion() throws IOException {
        final String uri = schema.libpqUri("any-password");
        PostgresStorage.open(uri, StorageSettings.defaults()).close();
        final String out = doctor(uri);
        assertTrue(out.contains("[ok]   database        postgresql reachable"), out);
        assertTrue(out.contains("[ok]   schema          version " + latestMigration()), out);
    }

    /** The highest migration version shipped for PostgreSQL (from the V&lt;n&gt;__ file names). */
    private static int latestMigration() throws IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(java.net.URI.create(
                DoctorPostgresTest.class.getResource("/db/migration/postgresql").toString())))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .max()
                    .orElseThrow();
        }
    }

    @Test
    void shouldFailTheDatabaseCheckWithoutShowingThePassword() throws IOException {
        final String out = doctor("postgresql://app:s3cret@127.0.0.1:notaport/continuum");
        assertTrue(
                out.contains(
                        "[FAIL] database        postgresql not reachable: invalid PostgreSQL connection " + "string"),
                out);
        assertFalse(out.contains("s3cret"), out);
    }

    private String doctor(final String connectionString) throws IOException {
        final Path config = dir.resolve("application.yaml");
        Files.writeString(
                config,
                "storage:\n  backend: postgresql\n  connection-string: \"" + connectionString
                        + "\"\nserver:\n  port: 0\n");
        final PrintStream out = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final int code;
        try {
            code = ContinuumCli.run("doctor", "--data-dir", dir.toString(), "--config", config.toString());
        } finally {
            System.setOut(out);
        }
        final String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(printed.contains("[FAIL]") ? 1 : 0, code, printed);
        return printed;
    }
}
