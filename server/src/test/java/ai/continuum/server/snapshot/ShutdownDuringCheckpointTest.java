package ai.continuum.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.LogCapture;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server stopped while its checkpointer takes a checkpoint lets the checkpoint finish before it closes the storage
 * the checkpoint reads: the snapshot is written, and no "checkpoint failed" is logged. The first checkpoint is due 5 s
 * after start (as long as the default shutdown drain), so a stop in the first seconds meets it.
 */
class ShutdownDuringCheckpointTest {
    /** Turns enough for the checkpoint's rebuild from the database to take a while. */
    private static final int TURNS = 3_000;
    /** Past the checkpointer's first delay (5 s), so the stop lands while that checkpoint runs. */
    private static final long STOP_AFTER_MS = 5_150;

    @TempDir
    Path dir;

    @Test
    void shouldFinishTheCheckpointUnderWayBeforeClosingTheStorage() {
        try (TestServer first = TestServer.start(dir)) {
            final String key = first.createKey("busy");
            for (int i = 0; i < TURNS; i++) {
                assertEquals(
                        202,
                        first.post(
                                        "/v1/learn",
                                        key,
                                        Map.of(
                                                "user_message", "Release Train " + i + " leaves Harbor Bridge",
                                                "ai_response", "Noted Search Index " + (i % 97),
                                                "async", true))
                                .status());
            }
        }
        try (LogCapture log = LogCapture.of(Checkpointer.class.getName())) {
            final TestServer second = TestServer.start(
                    dir, Map.of(ConfigKey.SNAPSHOT_INTERVAL_SECONDS, "600", ConfigKey.SHUTDOWN_DRAIN_SECONDS, "0"));
            // the checkpointer started inside start(), so its first checkpoint is due before this
            sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_AFTER_MS));
            second.close();
            final List<String> warnings = log.atLeast(Level.WARNING).stream()
                    .map(r -> r.getMessage() + (r.getThrown() == null ? "" : ": " + r.getThrown()))
                    .toList();
            assertEquals(List.of(), warnings);
            assertTrue(
                    Files.exists(second.server().config().snapshots().dir().resolve(SnapshotStore.FILE_NAME)),
                    "the checkpoint under way at the stop wrote its snapshot");
        }
    }

    private static void sleepUntil(final long nanos) {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
