package ai.continuum.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.Turn;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.storage.QueueFullException;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("SynchronizeOnNonFinalField") // storage is set in @BeforeEach, before any thread starts
class ContinuumCoreTest {
    private MemoryEngine engine;
    private ScriptedStorage storage;
    private ContinuumCore core;

    @BeforeEach
    void setUp() {
        engine = MemoryEngine.create(EngineConfig.defaults());
        storage = new ScriptedStorage();
        core = new ContinuumCore(engine, storage, new ContinuumMetrics());
        core.rebuild();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private Turn turn() {
        return new Turn(
                core.nextMemoryId(),
                "Neural Networks and Gradient Descent",
                "Gradient Descent trains " + "Neural Networks.",
                "",
                "s",
                "",
                1_000);
    }

    @Test
    void shouldChangeNothingWhenQueueIsFull() {
        storage.mode = ScriptedStorage.Mode.QUEUE_FULL;
        final QueueFullException e = assertThrows(QueueFullException.class, () -> core.learn("t", turn(), false));
        assertEquals(3, e.retryAfterSeconds());
        assertEquals(0, engine.stats("t").memories());
        assertThrows(QueueFullException.class, () -> core.learn("t", turn(), true));
        assertEquals(0, engine.stats("t").memories(), "an async write that was not queued is not applied either");
    }

    @Test
    void shouldLeaveEngineUntouchedWhenCommitFailsSoRetryCountsOnce() throws InterruptedException {
        storage.mode = ScriptedStorage.Mode.PENDING;
        final Thread failer = Thread.ofVirtual().start(() -> {
            while (true) {
                synchronized (storage) {
                    if (!storage.pending.isEmpty()) {
                        storage.pending
                                .getFirst()
                                .completeExceptionally(new StorageUnavailableException("disk full", null));
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        });
        assertThrows(StorageUnavailableException.class, () -> core.learn("t", turn(), false));
        assertEquals(0, engine.stats("t").memories());
        assertEquals(0, engine.stats("t").links());
        storage.mode = ScriptedStorage.Mode.COMMIT;
        final LearnReceipt retried = core.learn("t", turn(), false);
        assertTrue(retried.durable());
        assertEquals(1, engine.stats("t").memories());
        assertEquals(retried.delta().links().size(), engine.stats("t").links(), "every link counted once");
        assertEquals(retried.delta().links().size(), retried.applied().linksCreated());
        failer.join();
    }

    @Test
    void shouldApplyAsyncWriteAtOnceAndCountLaterCommitFailure() {
        storage.mode = ScriptedStorage.Mode.PENDING;
        final LearnReceipt receipt = core.learn("t", turn(), true);
        assertFalse(receipt.durable());
        assertEquals(1, engine.stats("t").memories(), "visible before the commit");
        storage.pending.getFirst().completeExceptionally(new StorageUnavailableException("gone", null));
        assertEquals(1, core.asyncFailures());
    }

    @Test
    void shouldApplyDurableWriteOnlyWhenCommitCompletes() throws Exception {
        storage.mode = ScriptedStorage.Mode.PENDING;
        final Thread writer = Thread.ofVirtual().start(() -> core.learn("t", turn(), false));
        while (true) {
            synchronized (storage) {
                if (!storage.pending.isEmpty()) {
                    break;
                }
            }
            Thread.onSpinWait();
        }
        assertEquals(0, engine.stats("t").memories(), "not applied before the commit");
        storage.pending.getFirst().complete(new Storage.ContinuityHead("t", 1, "ab"));
        writer.join();
        assertEquals(1, engine.stats("t").memories());
    }

    @Test
    void shouldNotSubmitForgetOfUnknownMemoryOrConcept() {
        assertFalse(core.forgetMemory("t", 42));
        assertFalse(core.forgetConcept("t", "Nothing Here"));
        assertTrue(storage.accepted.isEmpty());
    }

    /**
     * An async write queued after a deleting op of its tenant commits after it, so every engine (and a rebuild) applies
     * the delete first. Applied ahead while the delete was still committing, the write would be undone by the delete
     * and its own op then skipped: the engine would lack what the database holds until a restart.
     */
    @Test
    void shouldApplyAnAsyncWriteQueuedBehindAForgetAfterTheForget() throws Exception {
        core.learn("t", turn(), false);
        storage.mode = ScriptedStorage.Mode.PENDING;
        final Thread forgetter = Thread.ofVirtual().start(() -> core.forgetConcept("t", "Gradient Descent"));
        awaitPending(1);
        final LearnReceipt later = core.learn("t", turn(), true);
        assertFalse(later.durable());
        storage.pending.get(0).complete(new Storage.ContinuityHead("t", 2, "f0"));
        forgetter.join();
        storage.pending.get(1).complete(new Storage.ContinuityHead("t", 3, "f1"));
        assertTrue(core.awaitPosition("t", 3), "the async write reaches the engine at its chain position");
        assertTrue(
                engine.concept("t", "Gradient Descent", 0).isPresent(),
                "the write committed after the forget keeps the concept it names, as the database does");
        assertEquals(2, engine.stats("t").memories());
    }

    private void awaitPending(final int count) {
        while (true) {
            synchronized (storage) {
                if (storage.pending.size() >= count) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
    }
}
