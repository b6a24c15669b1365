package ai.continuum.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import ai.continuum.server.auth.AdminKey;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory, the database with its WAL and lock, the import spool and the admin key are created for the
 * server's user only (0700 directories, 0600 files) whatever the umask; {@code doctor} fails on wider permissions and
 * names the chmod that fixes them.
 */
// Real socket: the files are created by ContinuumServer.start.
class OwnerOnlyFilesTest {
    @TempDir
    Path parent;

    private static String mode(final Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void shouldCreateEverythingOwnerOnlyAndDoctorShouldFlagWiderModes() throws IOException {
        final Path dir = parent.resolve("data");
        try (TestServer server = TestServer.start(dir)) {
            final String key = server.createKey("private");
            final TestServer.Reply learned = server.post(
                    "/v1/learn", key, Map.of("user_message", "Private Notes", "ai_response", "Private Notes kept."));
            assertEquals(200, learned.status(), learned.body());
            final TestServer.Reply imported = server.send(server.builder("/v1/admin/import", TestServer.ADMIN_KEY)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("not a document"))
                    .build());
            assertEquals(400, imported.status(), imported.body());

            assertEquals("rwx------", mode(dir), "data directory");
            assertEquals("rwx------", mode(dir.resolve("tmp")), "import spool");
            for (final String file : new String[] {"continuum.db", "continuum.db-wal", "continuum.db-shm"}) {
                assertEquals("rw-------", mode(dir.resolve(file)), file);
            }
            assertEquals("rw-------", mode(dir.resolve("continuum.db.lock")), "lock");
        }
        AdminKey.resolve(
                new ConfigLoader(Map.of(), Map.of(ConfigKey.DATA_DIR, dir.toString()), null).load(), m -> {}, false);
        assertEquals("rw-------", mode(dir.resolve(AdminKey.FILE_NAME)), "admin key");
        final CliRun healthy = CliRun.of("doctor", "--data-dir", dir.toString());
        assertTrue(healthy.out().contains("owner-only"), healthy.all());

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("continuum.db"), PosixFilePermissions.fromString("rw-r--r--"));
        final CliRun flagged = CliRun.of("doctor", "--data-dir", dir.toString());
        assertEquals(1, flagged.code(), flagged.all());
        assertTrue(flagged.out().contains("chmod 700 " + dir), flagged.all());
        assertTrue(flagged.out().contains("chmod 600 " + dir.resolve("continuum.db")), flagged.all());
    }
}
