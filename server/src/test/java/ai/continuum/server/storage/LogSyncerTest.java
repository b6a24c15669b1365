package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A commit is acknowledged only after a sync of the log that began after it was handed over, in the order commits were
 * handed over; a failed sync fails its commits and every later one as of unknown outcome.
 */
class LogSyncerTest {
    /** A log whose syncs are counted, recorded by thread, and held while {@code hold} is closed. */
    private static final class HeldLog implements LogSyncer.LogSync {
        final AtomicInteger syncs = new AtomicInteger();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        volatile CountDownLatch hold = new CountDownLatch(0);
        volatile CountDownLatch started = new CountDownLatch(1);
        volatile IOException failWith;

        @Override
        public void sync() throws IOException {
            threads.add(Thread.currentThread());
            started.countDown();
            try {
                assertTrue(hold.await(30, TimeUnit.SECONDS), "the test released the sync");
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failWith != null) {
                throw failWith;
            }
            syncs.incrementAndGet();
        }
    }

    private final HeldLog log = new HeldLog();
    private final LogSyncer syncer = new LogSyncer(log);

    @AfterEach
    void close() {
        log.hold = new CountDownLatch(0);
        syncer.close();
    }

    /** A commit handed to the syncer; its future completes with the number of syncs done when it was acknowledged. */
    private CompletableFuture<Integer> commit(final boolean moreToCommit) {
        final CompletableFuture<Integer> acknowledged = new CompletableFuture<>();
        syncer.afterCommit(
                () -> acknowledged.complete(log.syncs.get()), acknowledged::completeExceptionally, 3, moreToCommit);
        return acknowledged;
    }

    @Test
    void aCommitHandedOverIsAcknowledgedOnlyOnceTheSyncAfterItReturned() throws Exception {
        final CompletableFuture<Integer> first = commitHeldInItsSync();
        assertFalse(first.isDone(), "not acknowledged while its sync runs");
        assertEquals(3, syncer.pendingOps(), "its ops count as queued until acknowledged");
        assertFalse(syncer.idle());

        log.hold.countDown();
        assertEquals(1, first.get(30, TimeUnit.SECONDS), "acknowledged after the sync returned");
        assertEquals(log.threads.getFirst().getName(), "continuum-log-sync");
        awaitIdle();
        assertEquals(0, syncer.pendingOps());
    }

    @Test
    void aCommitHandedOverDuringASyncWaitsForTheNextSync() throws Exception {
        final CompletableFuture<Integer> first = commitHeldInItsSync();
        // the sync running now began before this commit was written: it must not acknowledge it
        final CompletableFuture<Integer> second = commit(false);
        assertEquals(6, syncer.pendingOps());

        log.hold.countDown();
        assertEquals(1, first.get(30, TimeUnit.SECONDS));
        assertEquals(2, second.get(30, TimeUnit.SECONDS), "acknowledged by a second sync, not the one under way");
    }

    @Test
    void commitsAreAcknowledgedInTheOrderTheyWereHandedOver() throws Exception {
        syncer.start();
        log.hold = new CountDownLatch(1);
        final List<Integer> order = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> last = new CompletableFuture<>();
        for (int i = 0; i < 50; i++) {
            final int n = i;
            syncer.afterCommit(
                    () -> {
                        order.add(n);
                        if (n == 49) {
                            last.complete(null);
                        }
                    },
                    last::completeExceptionally,
                    1,
                    true);
        }
        log.hold.countDown();
        last.get(30, TimeUnit.SECONDS);
        assertEquals(IntStream.range(0, 50).boxed().toList(), order);
    }

    @Test
    void aLoneCommitIsSyncedAndAcknowledgedOnTheWritersThread() throws Exception {
        syncer.start();
        final CompletableFuture<Integer> lone = commit(false);
        assertTrue(lone.isDone(), "synced before afterCommit returned: no hand-off");
        assertEquals(1, lone.get());
        assertEquals(Thread.currentThread(), log.threads.getFirst());
    }

    @Test
    void withoutItsThreadEveryCommitIsSyncedOnTheCallersThread() throws Exception {
        final CompletableFuture<Integer> c = commit(true);
        assertEquals(1, c.get(), "the writer driven by hand (tests) syncs in doWork");
        assertEquals(Thread.currentThread(), log.threads.getFirst());
    }

    @Test
    void aFailedSyncFailsItsCommitsAndEveryLaterOneAsOfUnknownOutcome() throws Exception {
        log.failWith = new IOException("Input/output error");
        final CompletableFuture<Integer> first = commitHeldInItsSync();
        final CompletableFuture<Integer> second = commit(true);
        assertNull(syncer.failure());
        log.hold.countDown();

        for (final CompletableFuture<Integer> f : List.of(first, second)) {
            final ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            assertInstanceOf(CommitDurabilityUnknownException.class, e.getCause());
            assertTrue(
                    e.getCause().getMessage().contains("Input/output error"),
                    e.getCause().getMessage());
        }
        assertNotNull(syncer.failure(), "the writer is told to refuse writes");
        final int syncsBefore = log.threads.size();
        log.failWith = null;
        final CompletableFuture<Integer> later = commit(false);
        assertInstanceOf(
                CommitDurabilityUnknownException.class,
                assertThrows(ExecutionException.class, later::get).getCause(),
                "a later sync reporting success proves nothing after a failed one");
        assertEquals(syncsBefore, log.threads.size(), "and none is tried");
        awaitIdle();
        assertEquals(0, syncer.pendingOps());
    }

    @Test
    void closeSyncsAndAcknowledgesWhatIsStillHandedOver() throws Exception {
        final CompletableFuture<Integer> first = commitHeldInItsSync();
        final CompletableFuture<Integer> second = commit(true);
        final Thread closer = Thread.ofPlatform().start(syncer::close);
        log.hold.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(first.isDone() && second.isDone(), "nothing handed over is left unanswered");
        assertEquals(2, second.get());
    }

    /** Starts the syncer and hands it a commit whose sync has begun and waits for {@code log.hold}. */
    private CompletableFuture<Integer> commitHeldInItsSync() throws InterruptedException {
        syncer.start();
        log.hold = new CountDownLatch(1);
        final CompletableFuture<Integer> first = commit(true);
        assertTrue(log.started.await(30, TimeUnit.SECONDS), "the syncer thread began a sync");
        return first;
    }

    private void awaitIdle() throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!syncer.idle() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(syncer.idle());
    }
}
