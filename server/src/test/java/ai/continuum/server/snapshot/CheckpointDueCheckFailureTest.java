package ai.continuum.server.snapshot;

import static ai.continuum.server.snapshot.CheckpointFixtures.ABANDONED;
import static ai.continuum.server.snapshot.CheckpointFixtures.WAIT_SECONDS;
import static ai.continuum.server.snapshot.CheckpointFixtures.everySecond;
import static ai.continuum.server.snapshot.CheckpointFixtures.inTheDueCheck;
import static ai.continuum.server.snapshot.CheckpointFixtures.intercepted;
import static ai.continuum.server.snapshot.CheckpointFixtures.snapshotBehind;
import static ai.continuum.server.snapshot.CheckpointFixtures.warnings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.LogCapture;
import ai.continuum.server.snapshot.CheckpointFixtures.Counted;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check whether a checkpoint is due reads the database's heads (is there anything the snapshot does not hold?),
 * and a database restarting or a pool timing out makes that read throw as readily as the checkpoint's own. Such a
 * failure is a failed checkpoint: logged once at WARNING, counted, and the next one taken an interval later (before,
 * the exception ended the checkpoint thread, silently, and the process took no checkpoint again). A stop that closes
 * the storage under the check abandons it quietly, as it does a checkpoint.
 *
 * <p>Each case starts from a snapshot the database has moved past, so that the due check reads the heads: with none,
 * or one {@link SnapshotStore#usableHeader} cannot check (it reads the heads too, and takes a failure for "no usable
 * snapshot"), a checkpoint is taken without the check.
 */
class CheckpointDueCheckFailureTest {

    @TempDir
    Path dir;

    @Test
    void shouldTakeTheNextCheckpointAfterItsDueCheckFailed() throws Exception {
        try (Storage storage = Storages.open("sqlite", dir.resolve("db"), null, StorageSettings.defaults())) {
            final SnapshotStore store = snapshotBehind(storage, dir.resolve("snapshots"));
            final AtomicInteger checks = new AtomicInteger();
            final AtomicReference<Thread> checking = new AtomicReference<>();
            final Storage failingOnce = intercepted(storage, method -> {
                if (method.getName().equals("heads") && inTheDueCheck() && checks.getAndIncrement() == 0) {
                    checking.set(Thread.currentThread());
                    throw new IllegalStateException("the database is restarting");
                }
            });
            try (LogCapture log = LogCapture.of(Checkpointer.class.getName())) {
                final Counted outcomes = new Counted();
                try (Checkpointer checkpointer = everySecond(store, failingOnce, outcomes, WAIT_SECONDS)) {
                    checkpointer.start();
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                    while (outcomes.taken.get() == 0
                            && (checking.get() == null || checking.get().isAlive())) {
                        assertTrue(System.nanoTime() < deadline, "a checkpoint within 30 s: " + log.messages());
                        Thread.sleep(20);
                    }
                    assertNotNull(checking.get(), "the due check read the heads");
                    assertTrue(checking.get().isAlive(), "the checkpoint thread outlived its failed due check");
                    assertEquals(1, outcomes.taken.get(), "the checkpoint after the failed check was taken");
                    assertEquals(1, outcomes.failures.get(), "the failed due check is a failed checkpoint");
                    assertEquals(
                            List.of("checkpoint failed; the next one is due in 1 s: java.lang.IllegalStateException:"
                                    + " the database is restarting"),
                            warnings(log));
                    assertEquals(
                            storage.heads(),
                            positions(store.usableHeader(storage).orElseThrow()));
                }
                assertFalse(checking.get().isAlive(), "the stop ended the thread");
            }
        }
    }

    @Test
    void shouldAbandonQuietlyADueCheckWhoseStorageClosesUnderItAtAStop() throws Exception {
        final Storage storage = Storages.open("sqlite", dir.resolve("db"), null, StorageSettings.defaults());
        try {
            final SnapshotStore store = snapshotBehind(storage, dir.resolve("snapshots"));
            final long takenAt = store.usableHeader(storage).orElseThrow().takenAtMillis();
            final CountDownLatch checking = new CountDownLatch(1);
            final CountDownLatch storageClosed = new CountDownLatch(1);
            final AtomicReference<Thread> checker = new AtomicReference<>();
            final Storage holdingTheCheck = intercepted(storage, method -> {
                if (method.getName().equals("heads") && inTheDueCheck()) {
                    checker.set(Thread.currentThread());
                    checking.countDown();
                    storageClosed.await(WAIT_SECONDS, TimeUnit.SECONDS);
                }
            });
            try (LogCapture log = LogCapture.of(Checkpointer.class.getName())) {
                final Counted outcomes = new Counted();
                final Checkpointer checkpointer = everySecond(store, holdingTheCheck, outcomes, 0);
                checkpointer.start();
                assertTrue(checking.await(WAIT_SECONDS, TimeUnit.SECONDS), "the due check reached the database");
                checkpointer.close(); // its patience ends while the check is held in its read of the heads
                storage.close();
                storageClosed.countDown();

                assertTrue(checker.get().join(Duration.ofSeconds(WAIT_SECONDS)), "the thread ended within 30 s");
                assertTrue(log.messages().contains(ABANDONED), "the abandon was said: " + log.messages());
                assertEquals(List.of(), warnings(log));
                assertEquals(0, outcomes.failures.get(), "an abandon is not a failure");
                assertEquals(0, outcomes.taken.get());
            }
            try (Storage reopened = Storages.open("sqlite", dir.resolve("db"), null, StorageSettings.defaults())) {
                assertEquals(takenAt, store.usableHeader(reopened).orElseThrow().takenAtMillis(), "snapshot unchanged");
            }
        } finally {
            storage.close();
        }
    }

    private static Map<String, Long> positions(final SnapshotFile.Header header) {
        final Map<String, Long> positions = new HashMap<>();
        for (final SnapshotFile.Position p : header.positions()) {
            positions.put(p.tenant(), p.seq());
        }
        return positions;
    }
}
