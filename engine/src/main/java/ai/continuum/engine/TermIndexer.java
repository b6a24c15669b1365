package ai.continuum.engine;

import ai.continuum.engine.extract.TermAnalyzer;
import ai.continuum.engine.store.ImageInput;
import ai.continuum.engine.store.ImageOutput;
import ai.continuum.engine.store.IndexHashTable;
import ai.continuum.engine.store.MemoryTable;
import ai.continuum.engine.store.OffHeapArena;
import ai.continuum.engine.store.TermIdLists;
import ai.continuum.engine.store.WordIndex;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * The memory terms -> memories index (lexical evidence for recall), kept behind learn: the engine's writer stores a
 * memory and queues it here; its terms are analysed and indexed later, in batches, by this indexer's own thread. That
 * takes the analysis and the index inserts, about 40% of a learn, off the learn's thread.
 *
 * <p>Thread model and invariants:
 * <ul>
 *   <li>The index, its arena, each memory's term ids ({@link TermIdLists}), the per-memory term counts
 *       ({@link MemoryTable#setTerms}) and
 *       {@link TenantState#memoryTerms} have one writer at a time: whoever holds {@link #lock}, which is the
 *       indexer's thread, a recall helping it ({@link #awaitIndexed}) or the engine's writer (forget, images, a full
 *       queue). The engine's writer takes this lock inside its write lock, never the other way round.</li>
 *   <li>Read-your-writes: a recall calls {@link #awaitIndexed} before it reads the index, and returns only after
 *       every memory queued before that call is indexed (it indexes what is still queued itself). So a memory whose
 *       learn returned is found by its words by any recall that starts afterwards; the delay is visible to no
 *       caller, only as the time a memory waits in the queue.</li>
 *   <li>A forgotten memory is never indexed after it is forgotten: {@link #remove} first indexes everything queued
 *       (so the memory's terms are in the index), then removes them, all under the lock; and a memory id forgotten
 *       stays a tombstone, so it is never queued again.</li>
 *   <li>The queue is bounded ({@value #QUEUE}); when it is full the engine's writer indexes the backlog itself, so
 *       a learner faster than the indexer waits rather than grows memory or the delay without bound.</li>
 * </ul>
 */
// TenantState.memoryTerms is volatile for its readers and changed only under this indexer's lock.
@SuppressWarnings("NonAtomicVolatileUpdate")
final class TermIndexer implements AutoCloseable {
    /**
     * Queued memories at most; a full queue is indexed by the writer itself. It also bounds what one recall may have
     * to index for an indexer starved of CPU: about 6 us a memory, so some 6 ms at 1,024 (4,096 let one recall pay
     * about 25 ms); at full learn rate with a free core the backlog stays far below it (RESULTS.md, "Learn off the
     * critical path").
     */
    static final int QUEUE = 1024;
    /** Memories indexed per hold of the lock by the indexer's thread, so a recall waits for one batch at most. */
    private static final int BATCH = 16;
    /** The backlog at which the writer wakes a dozing indexer rather than let it finish its doze. */
    private static final int WAKE_BACKLOG = 64;
    /** How long the idle indexer dozes between looks at the queue, before it sleeps until woken. */
    private static final long DOZE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Dozes without work after which the indexer sleeps until the writer wakes it. */
    private static final int DOZES = 50;
    /** Recent visibility delays kept for {@link #recentDelaysNanos}. */
    private static final int DELAY_SAMPLES = 4096;

    /** A stored memory whose terms are not yet indexed. */
    private record Pending(TenantState tenant, int index, String userText, String aiText, long queuedNanos) {}

    private final MemoryTable memories;
    private final OffHeapArena arena = new OffHeapArena();
    private final WordIndex index;
    /** Each indexed memory's distinct terms, as the index's word records: its side of the index. */
    private final TermIdLists termIds = new TermIdLists(arena);

    private final ReentrantLock lock = new ReentrantLock();
    private final ManyToManyConcurrentArrayQueue<Pending> queue = new ManyToManyConcurrentArrayQueue<>(QUEUE);
    /** Memories queued so far; written by the engine's writer. */
    private volatile long queued;
    /** Memories indexed so far, each after its terms are in the index; written under {@link #lock}. */
    private volatile long indexed;
    /** Whether the indexer's thread sleeps until woken; see {@link #run}. */
    private volatile boolean sleeping;

    private volatile boolean closed;
    private final Thread worker;
    /** Told each indexed memory's visibility delay in nanoseconds, under {@link #lock}; must not block. */
    private volatile LongConsumer delayListener = delay -> {};

    /** Under {@link #lock}: the term being built, and the memory being indexed ({@link #indexOne}). */
    private final StringBuilder termScratch = new StringBuilder(TermAnalyzer.MAX_TERM_CHARS);
    /** Under {@link #lock}: finds the record of a repeated term that this occurrence says as a name. */
    private final WordIndex.Probe termProbe;
    /** Under {@link #lock}: takes each term of the memory being indexed, with its shape. */
    private final TermAnalyzer.TermSink termSink = new TermAnalyzer.TermSink() {
        @Override
        public void accept(final CharSequence term) {
            addTerm(term, false);
        }

        @Override
        public void accept(final CharSequence term, final boolean saidAsName) {
            addTerm(term, saidAsName);
        }
    };
    /** Under {@link #lock}: the distinct terms' records of the memory being indexed or removed, in order. */
    private int[] termsOfMemoryIds = new int[64];

    private int distinctTermsOfMemory;

    private final long[] delays = new long[DELAY_SAMPLES];
    private long delayCount;
    private int termsOfMemory;
    private int indexOfMemory;
    private TenantState tenantOfMemory;

    TermIndexer(final MemoryTable memories, final long expectedWords) {
        this.memories = memories;
        this.index = new WordIndex(arena, expectedWords);
        this.termProbe = index.newProbe();
        this.worker =
                Thread.ofPlatform().name("continuum-term-indexer").daemon().unstarted(this::run);
        worker.start();
    }

    /** The index, for readers; they call {@link #awaitIndexed} first. */
    WordIndex index() {
        return index;
    }

    /** Each indexed memory's distinct terms as records of {@link #index}, for readers; as {@link #index}. */
    TermIdLists termIds() {
        return termIds;
    }

    /** Engine writer: the memory at {@code memoryIndex} was stored; index its user and assistant text later. */
    void enqueue(final TenantState t, final int memoryIndex, final String userText, final String aiText) {
        final Pending p = new Pending(t, memoryIndex, userText, aiText, System.nanoTime());
        while (!queue.offer(p)) {
            indexQueued(Long.MAX_VALUE);
        }
        final long backlog = ++queued - indexed;
        if (sleeping || backlog == WAKE_BACKLOG) {
            LockSupport.unpark(worker);
        }
    }

    /** Any thread: returns once every memory queued before this call is indexed, indexing the rest itself. */
    void awaitIndexed() {
        final long target = queued;
        if (indexed < target) {
            indexQueued(target);
        }
    }

    /**
     * Engine writer: removes the terms of live memory {@code memoryIndex}, after indexing everything queued, which may
     * hold this very memory.
     */
    void remove(final TenantState t, final int memoryIndex) {
        lock.lock();
        try {
            drain(Long.MAX_VALUE);
            final int n = termIds.size(memoryIndex);
            if (n > termsOfMemoryIds.length) {
                termsOfMemoryIds = new int[n];
            }
            final int read = termIds.read(memoryIndex, termsOfMemoryIds);
            for (int i = 0; i < read; i++) {
                index.removeFromList(TermIdLists.word(termsOfMemoryIds[i]), memoryIndex);
            }
            termIds.clear(memoryIndex);
            t.memoryTerms -= memories.terms(memoryIndex);
        } finally {
            lock.unlock();
        }
    }

    /** Engine writer, which holds the write lock: the index and its arena into an engine image, backlog included. */
    void writeTo(final ImageOutput out) {
        lock.lock();
        try {
            drain(Long.MAX_VALUE);
            arena.writeTo(out);
            index.writeTo(out);
            termIds.writeTo(out);
        } finally {
            lock.unlock();
        }
    }

    /** Engine writer, on an empty engine: restores what {@link #writeTo} wrote. */
    void readFrom(final ImageInput in) {
        lock.lock();
        try {
            arena.readFrom(in);
            index.readFrom(in);
            termIds.readFrom(in);
        } finally {
            lock.unlock();
        }
    }

    /** Any thread: memories queued and not yet indexed (a snapshot of two counters; never negative). */
    long backlog() {
        return Math.max(0, queued - indexed);
    }

    /** Tells {@code listener} each indexed memory's visibility delay in nanoseconds; it must be quick and not block. */
    void onDelay(final LongConsumer listener) {
        this.delayListener = listener;
    }

    /**
     * After {@link #close}: returns the index's direct memory now, if the indexer's thread has ended (else it is left
     * to the collector). Only when no other thread reads the index any more.
     */
    void release() {
        if (!worker.isAlive()) {
            index.release();
            termIds.release();
            arena.release();
        }
    }

    long offHeapBytes() {
        return arena.reservedBytes() + index.offHeapBytes() + termIds.offHeapBytes();
    }

    /**
     * Any thread: how long each of the last (up to {@value #DELAY_SAMPLES}) indexed memories waited between being
     * queued and having its terms indexed, in nanoseconds, in no particular order: the visibility delay a reader
     * would see without {@link #awaitIndexed}.
     */
    long[] recentDelaysNanos() {
        lock.lock();
        try {
            return Arrays.copyOf(delays, (int) Math.min(delayCount, DELAY_SAMPLES));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(worker);
        try {
            worker.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes the lock and indexes queued memories until {@code target} are indexed or the queue is empty. */
    private void indexQueued(final long target) {
        lock.lock();
        try {
            drain(target);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: indexes queued memories, oldest first, until {@code target} are indexed or none is queued. A
     * memory taken off the queue counts as indexed even if indexing it failed, so that no waiter waits for it forever.
     */
    private void drain(final long target) {
        Pending p;
        while (indexed < target && (p = queue.poll()) != null) {
            try {
                indexOne(p);
            } finally {
                indexed++;
            }
        }
    }

    /** Under the lock. A memory forgotten while queued cannot be here: {@link #remove} drained it first. */
    private void indexOne(final Pending p) {
        tenantOfMemory = p.tenant();
        indexOfMemory = p.index();
        termsOfMemory = 0;
        distinctTermsOfMemory = 0;
        // What the lexical index covers is what the user and the assistant said: the two texts are analysed one after
        // the other (no term spans them), without building their concatenation.
        TermAnalyzer.forEachTerm(p.userText(), termScratch, termSink);
        TermAnalyzer.forEachTerm(p.aiText(), termScratch, termSink);
        termIds.set(p.index(), termsOfMemoryIds, distinctTermsOfMemory);
        memories.setTerms(p.index(), termsOfMemory);
        p.tenant().memoryTerms += termsOfMemory;
        final long delay = System.nanoTime() - p.queuedNanos();
        delays[(int) (delayCount++ % DELAY_SAMPLES)] = delay;
        delayListener.accept(delay);
    }

    /**
     * Indexes one term of the memory being indexed; repeats count towards its length but are listed once, said as a
     * name if any occurrence is.
     */
    private void addTerm(final CharSequence term, final boolean saidAsName) {
        final int rec = index.addWordOnce(tenantOfMemory.id, term, 0, term.length(), indexOfMemory);
        if (rec != IndexHashTable.MISSING) {
            if (distinctTermsOfMemory == termsOfMemoryIds.length) {
                termsOfMemoryIds = Arrays.copyOf(termsOfMemoryIds, 2 * distinctTermsOfMemory);
            }
            termsOfMemoryIds[distinctTermsOfMemory++] = TermIdLists.entry(rec, saidAsName);
        } else if (saidAsName) {
            markSaidAsName(index.find(tenantOfMemory.id, term, termProbe));
        }
        termsOfMemory++;
    }

    /** Marks the listed word {@code rec} of the memory being indexed as said as a name (a repeat said as one). */
    private void markSaidAsName(final int rec) {
        for (int i = 0; i < distinctTermsOfMemory; i++) {
            if (TermIdLists.word(termsOfMemoryIds[i]) == rec) {
                termsOfMemoryIds[i] = TermIdLists.entry(rec, true);
                return;
            }
        }
    }

    /**
     * The indexer's thread: indexes a batch per hold of the lock while anything is queued; when idle it dozes
     * ({@value #DOZES} times {@link #DOZE_NANOS}), then sleeps until {@link #enqueue} wakes it. {@link #sleeping} is
     * set before the queue is looked at once more, and the writer reads it after counting its memory, so one of the
     * two always sees the other and no memory is left asleep.
     */
    private void run() {
        int idle = 0;
        while (!closed) {
            if (indexed < queued) {
                lock.lock();
                try {
                    drain(indexed + BATCH);
                } finally {
                    lock.unlock();
                }
                idle = 0;
            } else if (++idle < DOZES) {
                LockSupport.parkNanos(DOZE_NANOS);
            } else {
                sleeping = true;
                if (indexed == queued && !closed) {
                    LockSupport.park();
                }
                sleeping = false;
                idle = 0;
            }
        }
    }
}
