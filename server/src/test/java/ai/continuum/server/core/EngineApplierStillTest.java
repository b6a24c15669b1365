package ai.continuum.server.core;

import static ai.continuum.server.core.ApplierFixture.turn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.ApplyResult;
import ai.continuum.engine.Delta;
import ai.continuum.server.storage.StorageOp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EngineApplier#whileStill}, what a checkpoint of the serving engine stands on: the task sees the engine hold
 * exactly the database's ops up to the positions it is given, nothing is applied until it resumes, and an engine
 * holding an async write that never committed is never handed out. Against real SQLite.
 */
class EngineApplierStillTest {
    private static final String TENANT = "t";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private ApplierFixture its;

    @BeforeEach
    void open() {
        its = new ApplierFixture(dir);
    }

    @AfterEach
    void close() {
        its.close();
    }

    @Test
    void shouldApplyNothingWhileHeldAndEverythingQueuedOnceResumed() throws Exception {
        commitAndApply(turn(1, "Alpha", "Bravo"));
        final StorageOp.Apply second = new StorageOp.Apply(TENANT, turn(2, "Charlie", "Delta"));
        final Optional<Long> linksSeen = its.applier.whileStill(PATIENCE, still -> {
            assertEquals(Map.of(TENANT, 1L), still.positions());
            final CompletableFuture<OpOutcome> queued =
                    its.applier.committed(second, its.storage.submit(second).join());
            assertThrows(TimeoutException.class, () -> queued.get(300, TimeUnit.MILLISECONDS));
            assertEquals(1, its.applier.applied(TENANT), "the op committed meanwhile waits");
            return (long) its.engine.stats(TENANT).links();
        });
        assertEquals(Optional.of(1L), linksSeen);
        assertTrue(its.applier.awaitApplied(TENANT, 2, TimeUnit.SECONDS.toNanos(10)), "applied once resumed");
        assertEquals(2, its.engine.stats(TENANT).links());
    }

    @Test
    void shouldWaitUntilAWriteAppliedAheadHasCommitted() throws Exception {
        commitAndApply(turn(1, "Alpha", "Bravo"));
        final Delta ahead = turn(2, "Charlie", "Delta");
        assertEquals(1, its.applier.applyAhead(TENANT, ahead).join().memoriesCreated(), "applied before its commit");
        final CompletableFuture<Map<String, Long>> held = CompletableFuture.supplyAsync(() ->
                its.applier.whileStill(PATIENCE, EngineApplier.Still::positions).orElseThrow());
        Thread.sleep(300);
        assertFalse(held.isDone(), "not while the engine holds a write the database does not have at its positions");

        final Delta meanwhile = turn(3, "Echo", "Foxtrot");
        assertEquals(ApplyResult.NONE, its.applier.applyAhead(TENANT, meanwhile).join(), "no new write goes ahead");
        assertEquals(2, its.engine.stats(TENANT).links());

        final StorageOp.Apply op = new StorageOp.Apply(TENANT, ahead);
        its.applier.committed(op, its.storage.submit(op).join()).join();
        assertEquals(Map.of(TENANT, 2L), held.get(10, TimeUnit.SECONDS), "held at the write's own position");
    }

    @Test
    void shouldGiveUpWhenAWriteAppliedAheadDoesNotCommitInTime() {
        its.applier.applyAhead(TENANT, turn(1, "Alpha", "Bravo")).join();
        final long start = System.nanoTime();
        assertEquals(Optional.empty(), its.applier.whileStill(Duration.ofMillis(200), still -> "written"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(its.applier.matchesStore(), "still pending, not lost");
    }

    @Test
    void shouldNeverHandOutAnEngineHoldingAWriteThatWasNotCommitted() throws Exception {
        final Delta lost = turn(1, "Alpha", "Bravo");
        its.applier.applyAhead(TENANT, lost).join();
        its.applier.abandonAhead(TENANT, lost);
        its.applier.checksum(TENANT).get(10, TimeUnit.SECONDS); // the abandon ran on the applier thread
        assertFalse(its.applier.matchesStore());
        assertEquals(Optional.empty(), its.applier.whileStill(PATIENCE, still -> "written"));
    }

    private void commitAndApply(final Delta delta) {
        its.commitAndApply(TENANT, delta);
    }
}
