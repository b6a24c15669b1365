package ai.continuum.engine.semantic;

import ai.continuum.engine.store.MemoryTable;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The optional semantic index: one quantised sentence vector per memory ({@link VectorTable}), computed by a
 * {@link TextEmbedder} on a background thread after learn stores the memory, and a brute-force nearest-neighbour
 * search over one tenant's vectors at recall.
 *
 * <p>Learn only queues the memory's index: embedding a turn costs milliseconds, learn's own work microseconds, so the
 * embedding runs off learn's path. Until a memory's vector is written, recall finds it by words and graph only
 * ({@link #awaitIdle} waits for the queue to drain).
 *
 * <p>Thread model: {@link #enqueue} by the engine's single writer; one embedding thread writes vectors and appends to
 * the per-tenant lists; {@link #search} from any thread. A tenant's list is an int array and a volatile count: the
 * embedding thread writes the vector, then the array entry, then the count, so a reader that reads the count first
 * sees complete vectors for every entry below it.
 */
public final class SemanticIndex implements AutoCloseable {
    private static final long STOP = -1L;

    private final TextEmbedder embedder;
    private final MemoryTable memories;
    private final VectorTable vectors;
    private final LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>();
    /** Memories queued and not yet embedded (or skipped). */
    private final AtomicLong pending = new AtomicLong();

    private final Object idle = new Object();
    /** Per tenant id: the memories that have a vector. Grown by the embedding thread only. */
    private volatile TenantVectors[] tenants = new TenantVectors[0];

    private final Thread worker;
    private volatile boolean closed;

    /**
     * @param embedder the model; closed with this index.
     * @param memories the engine's memory table, read for the text to embed.
     */
    public SemanticIndex(final TextEmbedder embedder, final MemoryTable memories) {
        this.embedder = embedder;
        this.memories = memories;
        this.vectors = new VectorTable(embedder.dimensions());
        this.worker = Thread.ofPlatform().name("continuum-embedder").daemon().unstarted(this::run);
        worker.start();
    }

    public TextEmbedder embedder() {
        return embedder;
    }

    public VectorTable vectors() {
        return vectors;
    }

    /** Writer: the memory at {@code index} of tenant {@code tenantId} was stored; embed it in the background. */
    public void enqueue(final int tenantId, final int index) {
        pending.incrementAndGet();
        queue.add(((long) tenantId << 32) | (index & 0xFFFF_FFFFL));
    }

    /** Memories learned and not yet embedded. */
    public long pending() {
        return pending.get();
    }

    /** Waits until every queued memory has its vector, at most {@code timeoutMillis}; returns whether it has. */
    public boolean awaitIdle(final long timeoutMillis) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (idle) {
            while (pending.get() > 0) {
                final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                idle.wait(left);
            }
        }
        return true;
    }

    /** The unit vector of a query, quantised into {@code into} (length {@link VectorTable#dimensions()}); its scale. */
    public float embedQuery(final String query, final byte[] into) {
        return VectorTable.quantise(unit(embedder.embed(query)), into);
    }

    /**
     * The {@code k} memories of tenant {@code tenantId} whose vectors are closest to the query (cosine, highest
     * first) into {@code outIndex}/{@code outSimilarity}; returns how many. Brute force over the tenant's vectors:
     * one 384-byte dot product each. Forgotten memories are the caller's to skip.
     */
    public int search(
            final int tenantId,
            final byte[] query,
            final float queryScale,
            final int k,
            final int[] outIndex,
            final float[] outSimilarity,
            final byte[] scratch) {
        final TenantVectors[] all = tenants;
        if (k < 1 || tenantId >= all.length || all[tenantId] == null) {
            return 0;
        }
        final TenantVectors mine = all[tenantId];
        final int n = mine.count; // read before the list: the list is then at least as new
        final int[] list = mine.list;
        int size = 0;
        for (int i = 0; i < n; i++) {
            final int index = list[i];
            final float similarity = vectors.dot(query, queryScale, index, scratch);
            if (size == k && similarity <= outSimilarity[size - 1]) {
                continue;
            }
            int j = size == k ? size - 1 : size++;
            while (j > 0 && similarity > outSimilarity[j - 1]) {
                outIndex[j] = outIndex[j - 1];
                outSimilarity[j] = outSimilarity[j - 1];
                j--;
            }
            outIndex[j] = index;
            outSimilarity[j] = similarity;
        }
        return size;
    }

    /** Off-heap bytes reserved by the vectors. */
    public long reservedBytes() {
        return vectors.reservedBytes();
    }

    @Override
    public void close() {
        closed = true;
        queue.add(STOP);
        try {
            worker.join(10_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        embedder.close();
    }

    private void run() {
        final String[] strings = new String[MemoryTable.STRINGS];
        while (!closed) {
            final long task;
            try {
                task = queue.take();
            } catch (final InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            try {
                embed((int) (task >>> 32), (int) task, strings);
            } catch (final RuntimeException e) {
                // A model failure on one text must not stop the thread; that memory stays words-and-graph only.
                System.getLogger(SemanticIndex.class.getName())
                        .log(System.Logger.Level.WARNING, "embedding memory " + (int) task + " failed", e);
            } finally {
                if (pending.decrementAndGet() == 0) {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
            }
        }
    }

    private void embed(final int tenantId, final int index, final String[] strings) {
        if (memories.read(index, strings) == null) {
            return; // forgotten before its turn came
        }
        final String text = embeddedText(strings[MemoryTable.USER_TEXT], strings[MemoryTable.AI_TEXT]);
        if (text.isBlank()) {
            return;
        }
        vectors.put(index, unit(embedder.embed(text)));
        append(tenantId, index);
    }

    /** The text a memory is embedded by: what the user and the assistant said. */
    static String embeddedText(final String userText, final String aiText) {
        return aiText == null || aiText.isEmpty() ? userText : userText + "\n" + aiText;
    }

    /** Embedding thread only. */
    private void append(final int tenantId, final int index) {
        TenantVectors[] all = tenants;
        if (tenantId >= all.length) {
            all = Arrays.copyOf(all, Math.max(tenantId + 1, all.length * 2));
            tenants = all;
        }
        if (all[tenantId] == null) {
            all[tenantId] = new TenantVectors();
            tenants = all; // republish: a reader that sees the entry sees a complete holder
        }
        final TenantVectors mine = all[tenantId];
        final int n = mine.count;
        if (n == mine.list.length) {
            mine.list = Arrays.copyOf(mine.list, n * 2);
        }
        mine.list[n] = index;
        mine.count = n + 1; // volatile write: the entry and its vector are visible to a reader of count
    }

    /**
     * One tenant's memories with a vector: {@code list[0..count)}. The embedding thread writes the vector, then the
     * entry, then the count.
     */
    private static final class TenantVectors {
        volatile int[] list = new int[16];
        volatile int count;
    }

    private static float[] unit(final float[] v) {
        double norm = 0;
        for (final float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            return v;
        }
        final float inv = (float) (1.0 / Math.sqrt(norm));
        final float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }
}
