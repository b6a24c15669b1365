package ai.continuum.server.storage;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Admission to the storage writer: the bounded queue request threads put ops and imports on, refusing them when the
 * storage is closing, when the database refuses writes, or when the queue is full (with a retry-after estimated from
 * the recent commit rate). The writer thread takes them off in batches ({@link #drainInto}).
 *
 * <p>Every accepted item unparks the writer thread ({@link #wakes}): an idle writer parks between polls, and a lone
 * client's write should be taken at once, not after the rest of that park.
 *
 * <p>Thread model: {@link #submit}, {@link #submitImport} and {@link #depth} from any thread; the rest from the writer
 * thread (and {@link #closeAdmission} from the closing thread).
 */
final class WriteQueue {

    /** What the queue holds: ops, committed in batches, and imports, each committed alone in its own transaction. */
    sealed interface Queued permits Pending, ImportRun {
        CompletableFuture<?> future();
    }

    /**
     * An op waiting for its batch; {@code encoded} is its canonical encoding and digest, computed on the submitting
     * thread; {@code claim} (nullable) an idempotency key committed with it, or, if already stored, instead of it.
     */
    record Pending(
            StorageOp op, EncodedOp encoded, IdempotencyClaim claim, CompletableFuture<Storage.ContinuityHead> future)
            implements Queued {

        /**
         * Completes the committed op's future: its head, or, for an op whose idempotency key was already stored
         * ({@code head} null), a {@link DuplicateRequestException} (the op was not applied).
         */
        void acknowledge(final Storage.ContinuityHead head) {
            if (head == null) {
                future.completeExceptionally(new DuplicateRequestException(claim.tenant(), claim.key()));
            } else {
                future.complete(head);
            }
        }
    }

    /** An import waiting for the ops queued before it to commit. */
    record ImportRun(ImportJob job, CompletableFuture<ImportOutcome> future) implements Queued {}

    private final ArrayBlockingQueue<Queued> queue;
    private final WriteAvailability availability;
    /** Guards the closing check in enqueue against closeAdmission(): nothing is queued after closing is set. */
    private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
    /** Set once by closeAdmission() under the admission write lock; read by submitters and the writer. */
    private volatile boolean closing;
    /** Ops drained from the queue but not yet committed or failed; written by the writer, read for the depth. */
    private volatile int inFlightOps;
    /**
     * Recent commit throughput, ops per second of writer time (moving average); written by the writer after each
     * commit, read by submitters to estimate when a full queue will have room.
     */
    private volatile double committedOpsPerSecond;
    /** The writer thread, unparked by every accepted item; null while a test drives the writer by hand. */
    private volatile Thread writer;

    WriteQueue(final int capacity, final WriteAvailability availability) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.availability = availability;
    }

    /** Queues {@code op} with an idempotency claim (nullable); see {@link Pending}. */
    CompletableFuture<Storage.ContinuityHead> submit(final StorageOp op, final IdempotencyClaim claim) {
        Objects.requireNonNull(op, "op");
        return enqueue(new Pending(op, EncodedOp.of(op), claim, new CompletableFuture<>()));
    }

    /** Queues an import; it commits after every op queued before it, in one transaction of its own. */
    CompletableFuture<ImportOutcome> submitImport(final ImportJob job) {
        Objects.requireNonNull(job, "job");
        return enqueue(new ImportRun(job, new CompletableFuture<>()));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> enqueue(final Queued item) {
        admission.readLock().lock();
        try {
            if (closing) {
                return CompletableFuture.failedFuture(new StorageUnavailableException("storage is closed", null));
            }
            if (availability.unavailable()) {
                return CompletableFuture.failedFuture(availability.refusal());
            }
            if (!queue.offer(item)) {
                final int depth = queue.size();
                throw new QueueFullException(depth, retryAfterSeconds(depth));
            }
            final Thread w = writer;
            if (w != null) {
                // Cheap when the writer is busy (it only sets the permit); a parked writer wakes now.
                LockSupport.unpark(w);
            }
            return (CompletableFuture<T>) item.future();
        } finally {
            admission.readLock().unlock();
        }
    }

    /** Seconds until {@code depth} queued ops are committed at the recent rate, between 1 and 60. */
    private int retryAfterSeconds(final int depth) {
        final double rate = committedOpsPerSecond;
        return rate <= 0 ? 1 : (int) Math.max(1, Math.min(60, Math.ceil(depth / rate)));
    }

    /** Names the thread that drains this queue, to be woken by every accepted item. */
    void wakes(final Thread writerThread) {
        this.writer = writerThread;
    }

    /** Ops accepted and not yet committed or failed: queued plus in the writer's hands. */
    int depth() {
        return queue.size() + inFlightOps;
    }

    /** Whether anything is queued that the writer has not taken yet. */
    boolean hasQueued() {
        return !queue.isEmpty();
    }

    /** Writer thread: how many ops it holds between taking them off the queue and completing them. */
    void inFlight(final int ops) {
        inFlightOps = ops;
    }

    /** Writer thread: {@code ops} committed in {@code nanos}; feeds the retry-after estimate. */
    void committed(final int ops, final long nanos) {
        final double rate = ops * 1e9 / Math.max(1, nanos);
        final double previous = committedOpsPerSecond;
        committedOpsPerSecond = previous == 0 ? rate : 0.8 * previous + 0.2 * rate;
    }

    /**
     * Moves queued ops into {@code batch} up to {@code maxOps}, stopping at an import: an import at the head of the
     * queue is taken alone when the batch is empty, and returned; else it waits for the batch to commit. Only the
     * writer thread takes from the queue.
     *
     * @return the import taken, or null.
     */
    ImportRun drainInto(final List<Pending> batch, final int maxOps) {
        while (batch.size() < maxOps) {
            final Queued next = queue.peek();
            if (next == null) {
                return null;
            }
            if (next instanceof ImportRun run) {
                if (batch.isEmpty()) {
                    queue.poll();
                    return run;
                }
                return null;
            }
            batch.add((Pending) queue.poll());
        }
        return null;
    }

    /** Refuses every later submit; what is queued stays for the writer to commit. */
    void closeAdmission() {
        admission.writeLock().lock();
        try {
            closing = true;
        } finally {
            admission.writeLock().unlock();
        }
    }

    boolean closing() {
        return closing;
    }

    /** Takes whatever is still queued (after the writer stopped) into {@code left}. */
    void drainAll(final List<Queued> left) {
        queue.drainTo(left);
    }
}
