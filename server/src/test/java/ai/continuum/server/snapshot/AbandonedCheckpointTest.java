package ai.continuum.server.snapshot;

import static ai.continuum.server.snapshot.CheckpointFixtures.ABANDONED;
import static ai.continuum.server.snapshot.CheckpointFixtures.WAIT_SECONDS;
import static ai.continuum.server.snapshot.CheckpointFixtures.intercepted;
import static ai.continuum.server.snapshot.CheckpointFixtures.learn;
import static ai.continuum.server.snapshot.CheckpointFixtures.warnings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.EngineConfig;
import ai.continuum.server.LogCapture;
import ai.continuum.server.snapshot.CheckpointFixtures.Counted;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop that outlasts its patience for a checkpoint under way closes the storage under it: the checkpoint is then
 * abandoned, said once at INFO, neither logged as a failure with a stack trace nor counted as one, and it leaves no
 * snapshot and no temporary file behind (before, it logged "checkpoint failed" at WARNING with the closed pool's
 * exception). A checkpoint that ends within the patience is not abandoned: it finishes and writes its snapshot.
 */
class AbandonedCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void shouldAbandonACheckpointWhoseStorageClosesUnderItAtAStop() throws Exception {
        final Storage storage = Storages.open("sqlite", dir.resolve("db"), null, StorageSettings.defaults());
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"));
        try {
            learn(storage, 40);
            final CountDownLatch loading = new CountDownLatch(1);
            final CountDownLatch storageClosed = new CountDownLatch(1);
            try (LogCapture log = LogCapture.of(Checkpointer.class.getName())) {
                final Counted outcomes = new Counted();
                final Checkpointer checkpointer = separateFromStart(
                        store, holdingLoads(storage, loading, storageClosed), outcomes, Duration.ofMillis(200));
                checkpointer.start(); // no snapshot yet: the checkpoint builds its engine from the database
                assertTrue(loading.await(WAIT_SECONDS, TimeUnit.SECONDS), "the checkpoint reached the database");
                checkpointer.close(); // its patience ends while the checkpoint is held in its load
                storage.close();
                storageClosed.countDown();

                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                while (!log.messages().contains(ABANDONED)
                        && log.atLeast(Level.WARNING).isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, "abandoned within 30 s: " + log.messages());
                    Thread.sleep(20);
                }
                assertEquals(List.of(), warnings(log));
                assertEquals(0, outcomes.failures.get(), "an abandon is not a failure");
                assertEquals(0, outcomes.taken.get());
            }
            try (Stream<Path> files = Files.list(store.file().getParent())) {
                assertEquals(List.of(), files.toList(), "no snapshot, no temporary file");
            } catch (final NoSuchFileException e) {
                // the directory was never made: nothing was written
            }
        } finally {
            storage.close();
        }
    }

    @Test
    void shouldLetACheckpointThatEndsWithinThePatienceFinishAndWriteItsSnapshot() throws Exception {
        try (Storage storage = Storages.open("sqlite", dir.resolve("db"), null, StorageSettings.defaults())) {
            final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"));
            learn(storage, 40);
            final CountDownLatch loading = new CountDownLatch(1);
            final CountDownLatch released = new CountDownLatch(1);
            try (LogCapture log = LogCapture.of(Checkpointer.class.getName())) {
                final Counted outcomes = new Counted();
                final Checkpointer checkpointer = separateFromStart(
                        store, holdingLoads(storage, loading, released), outcomes, Duration.ofSeconds(WAIT_SECONDS));
                checkpointer.start();
                assertTrue(loading.await(WAIT_SECONDS, TimeUnit.SECONDS), "the checkpoint reached the database");
                // the stop begins while the checkpoint is held in its load, which goes on 300 ms later
                final Thread release = Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(300);
                    } catch (final InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    released.countDown();
                });
                checkpointer.close();
                release.join();

                assertEquals(1, outcomes.taken.get(), "the checkpoint under way at the stop finished");
                assertTrue(store.usableHeader(storage).isPresent(), "and wrote its snapshot");
                assertFalse(log.messages().contains(ABANDONED), log.messages().toString());
                assertEquals(List.of(), warnings(log));
            }
        }
    }

    /** A checkpointer of a separate engine whose first checkpoint is due at once, with the stop's patience given. */
    private static Checkpointer separateFromStart(
            final SnapshotStore store, final Storage storage, final Counted outcomes, final Duration patience) {
        return new Checkpointer(
                        store, storage, EngineConfig.defaults(), 600, Checkpointer.Source.SEPARATE, null, outcomes)
                .timing(Duration.ZERO, patience);
    }

    /** {@code storage}, whose {@code load} says it began and then waits for {@code release}. */
    private static Storage holdingLoads(
            final Storage storage, final CountDownLatch loading, final CountDownLatch release) {
        return intercepted(storage, method -> {
            if (method.getName().equals("load")) {
                loading.countDown();
                release.await(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        });
    }
}
