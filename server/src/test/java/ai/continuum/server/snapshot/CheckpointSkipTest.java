package ai.continuum.server.snapshot;

import static ai.continuum.server.snapshot.CheckpointFixtures.ABANDONED;
import static ai.continuum.server.snapshot.CheckpointFixtures.WAIT_SECONDS;
import static ai.continuum.server.snapshot.CheckpointFixtures.everySecond;
import static ai.continuum.server.snapshot.CheckpointFixtures.inTheDueCheck;
import static ai.continuum.server.snapshot.CheckpointFixtures.intercepted;
import static ai.continuum.server.snapshot.CheckpointFixtures.learn;
import static ai.continuum.server.snapshot.CheckpointFixtures.snapshotBehind;
import static ai.continuum.server.snapshot.CheckpointFixtures.warnings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.EngineConfig;
import ai.continuum.server.LogCapture;
import ai.continuum.server.snapshot.CheckpointFixtures.Counted;
import ai.continuum.server.storage.ImportJob;
import ai.continuum.server.storage.ImportMode;
import ai.continuum.server.storage.ImportOutcome;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A due checkpoint that is not taken: nothing was committed since the snapshot, or a stop began meanwhile. */
class CheckpointSkipTest {
    /** The due checks that span two intervals: the first an interval after the snapshot, then one each interval. */
    private static final int DUE_CHECKS = 3;

    @TempDir
    Path dir;

    /**
     * A tenant without ops is at head 0 in the database's heads, and a snapshot records no position for it (there is
     * nothing to record): the two agree that nothing was committed since, and the due checkpoints are skipped. (Before,
     * they never compared equal, and an idle server with such a tenant wrote the same snapshot every interval.)
     */
    @Test
    void shouldSkipTheDueCheckpointsOfAnIdleDatabaseHoldingATenantAtHeadZero() throws Exception {
        try (Storage storage = Storages.open("sqlite", dir.resolve("db"), null, StorageSettings.defaults())) {
            learn(storage, 20);
            // A merge of an import section with nothing in it (an export of a tenant whose state is empty) stores the
            // tenant's row and no op.
            final ImportOutcome empty = storage.importState(
                            new ImportJob("initech", ImportMode.MERGE, "empty-section", null, null, visitor -> {}))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(empty.applied(), String.valueOf(empty.skipReason()));
            assertEquals(0L, storage.heads().get("initech"), "a tenant at head 0");
            assertTrue(storage.heads().get("acme") > 0);
            final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"));
            assertTrue(new Checkpointer(store, storage, EngineConfig.defaults(), 600, ms -> {}).takeNow() > 0);
            final SnapshotFile.Header taken = store.usableHeader(storage).orElseThrow();
            assertEquals(
                    List.of("acme"),
                    taken.positions().stream()
                            .map(SnapshotFile.Position::tenant)
                            .toList());
            final FileTime written = Files.getLastModifiedTime(store.file());

            final AtomicInteger dueChecks = new AtomicInteger();
            final Storage counting = intercepted(storage, method -> {
                if (method.getName().equals("heads") && inTheDueCheck()) {
                    dueChecks.incrementAndGet();
                }
            });
            try (LogCapture log = LogCapture.of(Checkpointer.class.getName())) {
                final Counted outcomes = new Counted();
                try (Checkpointer checkpointer = everySecond(store, counting, outcomes, WAIT_SECONDS)) {
                    checkpointer.start();
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                    while (dueChecks.get() < DUE_CHECKS) {
                        assertTrue(System.nanoTime() < deadline, "3 due checks within 30 s: " + log.messages());
                        Thread.sleep(20);
                    }
                }
                assertEquals(0, outcomes.taken.get(), "every due checkpoint skipped: " + log.messages());
                assertEquals(0, outcomes.failures.get());
                assertEquals(List.of(), warnings(log));
            }
            assertEquals(
                    taken.takenAtMillis(),
                    store.usableHeader(storage).orElseThrow().takenAtMillis());
            assertEquals(written, Files.getLastModifiedTime(store.file()), "the snapshot file unchanged");
        }
    }

    /** A stop that begins while the due check reads the database takes no checkpoint to wait for or abandon. */
    @Test
    void shouldTakeNoCheckpointWhenAStopBeginsDuringItsDueCheck() throws Exception {
        try (Storage storage = Storages.open("sqlite", dir.resolve("db"), null, StorageSettings.defaults())) {
            final SnapshotStore store = snapshotBehind(storage, dir.resolve("snapshots"));
            final long takenAt = store.usableHeader(storage).orElseThrow().takenAtMillis();
            final AtomicReference<Checkpointer> checkpointer = new AtomicReference<>();
            final AtomicReference<Thread> stopping = new AtomicReference<>();
            final Storage stoppedInTheCheck = intercepted(storage, method -> {
                if (method.getName().equals("heads") && inTheDueCheck() && stopping.get() == null) {
                    final Thread stop = Thread.ofPlatform().start(checkpointer.get()::close);
                    stopping.set(stop);
                    // close() marks the checkpointer closed before it waits for this thread, its only timed wait.
                    while (stop.isAlive() && stop.getState() != Thread.State.TIMED_WAITING) {
                        Thread.onSpinWait();
                    }
                }
            });
            try (LogCapture log = LogCapture.of(Checkpointer.class.getName())) {
                final Counted outcomes = new Counted();
                checkpointer.set(everySecond(store, stoppedInTheCheck, outcomes, WAIT_SECONDS));
                checkpointer.get().start();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                while (stopping.get() == null) {
                    assertTrue(System.nanoTime() < deadline, "a due check within 30 s: " + log.messages());
                    Thread.sleep(20);
                }
                assertTrue(stopping.get().join(Duration.ofSeconds(WAIT_SECONDS)), "the stop returned within 30 s");
                assertEquals(0, outcomes.taken.get(), "no checkpoint begun after the stop: " + log.messages());
                assertEquals(0, outcomes.failures.get());
                assertFalse(log.messages().contains(ABANDONED), "nothing to abandon: " + log.messages());
                assertEquals(List.of(), warnings(log));
            }
            assertEquals(takenAt, store.usableHeader(storage).orElseThrow().takenAtMillis(), "snapshot unchanged");
        }
    }
}
