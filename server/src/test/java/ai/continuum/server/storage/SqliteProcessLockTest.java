package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A SQLite store serves one process: a second one is refused with a pointer to PostgreSQL. */
// Real socket: the process lock is taken by ContinuumServer.start.
class SqliteProcessLockTest {

    /** Run in a child JVM: holds the lock of the data directory in args[0] until its standard input closes. */
    public static void main(final String[] args) throws Exception {
        try (SqliteProcessLock ignored = SqliteProcessLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() != -1) {
                // Wait for the parent to close our input (or kill us).
            }
        }
    }

    @Test
    void shouldRefuseAServerBesideAnotherProcessAndStartOnceThatProcessIsKilled(@TempDir final Path dir)
            throws Exception {
        final Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SqliteProcessLockTest.class.getName(),
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            final BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            final IllegalStateException refused = assertThrows(
                    IllegalStateException.class, () -> TestServer.start(dir).close());
            assertTrue(
                    refused.getMessage().contains("PostgreSQL")
                            && refused.getMessage().contains("another"),
                    refused.getMessage());
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
        }
        try (TestServer started = TestServer.start(dir)) {
            assertEquals(200, started.get("/v1/ready", null).status(), "a killed holder leaves no lock behind");
            assertThrows(
                    IllegalStateException.class,
                    () -> TestServer.start(dir).close(),
                    "a second server in this process is refused too");
        }
    }
}
