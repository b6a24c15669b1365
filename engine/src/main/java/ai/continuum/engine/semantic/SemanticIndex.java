package ai.continuum.engine.semantic;

import ai.continuum.engine.store.MemoryTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The optional semantic index: one quantised sentence vector per memory ({@link VectorTable}), computed by a
 * {@link TextEmbedder} on a background thread after learn stores the memory, and a nearest-neighbour search over one
 * tenant's vectors at recall: an exact scan while the tenant has fewer than {@link #GRAPH_THRESHOLD} vectors, an
 * approximate graph from then on ({@link TenantVectors}).
 *
 * <p>Learn only queues the memory's index: embedding a turn costs milliseconds, learn's own work microseconds, so the
 * embedding runs off learn's path. Until a memory's vector is written, recall finds it by words and graph only
 * ({@link #awaitIdle} waits for the queue to drain).
 *
 * <p>Vectors outlive the process through {@link StoredVectors}: before the embedding thread runs the model on a
 * batch of queued memories, it asks the store for their vectors and takes those it finds; every vector it computes for
 * a memory still live when the model returns it hands to the store. So a restart, or a process that applies what
 * another one learned, runs the model only on what no process has embedded yet. {@link #preset} takes a vector read
 * from elsewhere (a snapshot).
 *
 * <p>Thread model: {@link #enqueue} by the engine's single writer; one embedding thread writes vectors and adds them
 * to their tenant's {@link TenantVectors} (its list and, from the threshold on, its graph), and so does
 * {@link #preset} (both under {@link #storing}, so a tenant has one writer at a time); {@link #search} from any
 * thread, concurrently (the invariants are {@link TenantVectors}'). A graph insert costs the embedding thread less
 * than the model's embedding of one turn.
 */
public final class SemanticIndex implements AutoCloseable {
    /** Queued memories the embedding thread takes at once: one store look-up per tenant among them. */
    static final int BATCH = 256;

    /**
     * Vectors from which a tenant's search walks a graph instead of scanning: a scan of 8,192 costs about half a
     * millisecond and is exact; the graph's cost grows with the logarithm of the size instead (RESULTS.md, "Semantic
     * index, round four").
     */
    static final int GRAPH_THRESHOLD = 8_192;

    /** A memory to embed: its tenant (name for the store, id for the lists) and its index in the memory table. */
    private record Task(String tenant, int tenantId, int index) {}

    private static final Task STOP = new Task("", -1, -1);

    private final TextEmbedder embedder;
    private final MemoryTable memories;
    private final VectorTable vectors;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    /**
     * Guards writes of vectors and list entries (the embedding thread and {@link #preset} both write), and orders each
     * vector handed to the store against the notice of a dropped tenant ({@link #dropped}).
     */
    private final Object storing = new Object();
    /** Where vectors are looked up before embedding and kept after; {@link StoredVectors#NONE} until attached. */
    private volatile StoredVectors stored = StoredVectors.NONE;
    /** Memories queued and not yet embedded (or skipped). */
    private final AtomicLong pending = new AtomicLong();

    private final Object idle = new Object();
    /** Per tenant id: the memories that have a vector. Grown under {@link #storing} only. */
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

    /**
     * Whether scans run on the JDK Vector API: true only when the JVM was started with the incubator module
     * ({@code --add-modules=jdk.incubator.vector}); otherwise they use the plain loop, with the same results, several
     * times slower.
     */
    public static boolean vectorised() {
        return QuantisedDot.VECTORISED;
    }

    public TextEmbedder embedder() {
        return embedder;
    }

    public VectorTable vectors() {
        return vectors;
    }

    /** Writer: the memory at {@code index} of tenant {@code tenantId} was stored; embed it in the background. */
    public void enqueue(final String tenant, final int tenantId, final int index) {
        pending.incrementAndGet();
        queue.add(new Task(tenant, tenantId, index));
    }

    /** The name vectors of this index's model are stored under ({@link StoredVectors}). */
    public String model() {
        return embedder.name();
    }

    /** Where vectors are looked up before embedding and kept after; set before memories are queued. */
    public void attach(final StoredVectors store) {
        this.stored = store;
    }

    /** Whether the memory at {@code index} has its vector. */
    public boolean has(final int index) {
        return vectors.has(index);
    }

    /**
     * Takes a vector computed earlier (by this model: the caller checks) for the live memory at {@code index} of
     * tenant {@code tenantId}, unless it has one; returns whether it was taken. Any thread.
     */
    public boolean preset(final int tenantId, final int index, final byte[] quantised, final float scale) {
        if (quantised.length != vectors.dimensions() || !(scale > 0f) || memories.state(index) != MemoryTable.LIVE) {
            return false;
        }
        synchronized (storing) {
            if (vectors.has(index)) {
                return false;
            }
            vectors.putQuantised(index, quantised, scale);
            append(tenantId, index);
        }
        return true;
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
     * first) into {@code outIndex}/{@code outSimilarity}; returns how many. Exact below {@link #GRAPH_THRESHOLD}
     * vectors (one 384-byte dot product each), approximate from then on ({@link NeighbourGraph}). Forgotten memories
     * are never among them (they stay in the lists and graphs, as a forgotten memory's index is never reused and the
     * graph still routes through it); the caller checks again, as a memory may be forgotten while the search runs.
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
        return all[tenantId].search(query, queryScale, k, this::live, outIndex, outSimilarity, scratch);
    }

    /**
     * The centre of tenant {@code tenantId}'s vectors, for ranking by meaning without what the tenant says everywhere
     * ({@link VectorCentre}); null while it has fewer than 16 vectors. Any thread; allocates nothing.
     */
    public VectorCentre centre(final int tenantId) {
        final TenantVectors[] all = tenants;
        return tenantId < all.length && all[tenantId] != null ? all[tenantId].centre() : null;
    }

    private boolean live(final int index) {
        return memories.state(index) == MemoryTable.LIVE;
    }

    /** Off-heap bytes reserved by the vectors. */
    /**
     * After {@link #close}: returns the vectors' direct memory now, if the embedding thread has ended (else they are
     * left to the collector). Only when no other thread reads the index any more.
     */
    public void release() {
        if (!worker.isAlive()) {
            vectors.release();
        }
    }

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
        final List<Task> batch = new ArrayList<>(BATCH);
        while (!closed) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (final InterruptedException e) {
                return;
            }
            queue.drainTo(batch, BATCH - 1);
            final boolean stop = batch.remove(STOP);
            try {
                embedBatch(batch, strings);
            } catch (final RuntimeException e) {
                // A model or store failure must not stop the thread; those memories stay words-and-graph only.
                System.getLogger(SemanticIndex.class.getName())
                        .log(System.Logger.Level.WARNING, "embedding " + batch.size() + " memories failed", e);
            } finally {
                if (pending.addAndGet(-batch.size()) == 0) {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
            }
            if (stop) {
                return;
            }
        }
    }

    /** Takes the stored vectors of the batch's memories, tenant by tenant, then embeds the rest. */
    private void embedBatch(final List<Task> batch, final String[] strings) {
        final StoredVectors store = stored;
        final String model = embedder.name();
        int from = 0;
        while (from < batch.size()) {
            final Task first = batch.get(from);
            int to = from;
            final Map<Long, Task> byId = new HashMap<>();
            final long[] ids = new long[batch.size() - from];
            int n = 0;
            while (to < batch.size() && batch.get(to).tenantId() == first.tenantId()) {
                final Task task = batch.get(to++);
                if (memories.state(task.index()) == MemoryTable.LIVE && !vectors.has(task.index())) {
                    final long id = memories.id(task.index());
                    if (byId.put(id, task) == null) {
                        ids[n++] = id;
                    }
                }
            }
            if (n > 0) {
                store.find(first.tenant(), ids, n, model, (memoryId, quantised, scale) -> {
                    final Task task = byId.get(memoryId);
                    if (task != null) {
                        preset(task.tenantId(), task.index(), quantised, scale);
                    }
                });
            }
            for (int i = 0; i < n; i++) {
                final Task task = byId.get(ids[i]);
                if (!closed && !vectors.has(task.index())) {
                    embed(task, ids[i], strings, store, model);
                }
            }
            from = to;
        }
    }

    private void embed(
            final Task task,
            final long memoryId,
            final String[] strings,
            final StoredVectors store,
            final String model) {
        if (memories.read(task.index(), strings) == null) {
            return; // forgotten before its turn came
        }
        final String text = embeddedText(strings[MemoryTable.USER_TEXT], strings[MemoryTable.AI_TEXT]);
        if (text.isBlank()) {
            return;
        }
        final byte[] quantised = new byte[vectors.dimensions()];
        final float scale = VectorTable.quantise(unit(embedder.embed(text)), quantised);
        synchronized (storing) {
            if (vectors.has(task.index())) {
                return; // preset meanwhile
            }
            if (memories.state(task.index()) != MemoryTable.LIVE) {
                return; // forgotten while the model ran: neither kept nor handed to the store (see dropped)
            }
            vectors.putQuantised(task.index(), quantised, scale);
            append(task.tenantId(), task.index());
            // Under the lock: a save either precedes a drop's notice to the store or sees the memory forgotten.
            store.save(task.tenant(), memoryId, model, quantised, scale);
        }
    }

    /**
     * Writer, right after it forgot every memory of {@code tenant} at once (a replace or a clear, which leave no
     * tombstones): tells the store ({@link StoredVectors#dropped}) under {@link #storing}, the lock under which the
     * embedding thread checks that a memory is live and hands its vector to the store. So every vector of the dropped
     * memories was handed to {@link StoredVectors#save} before the notice and none after it: a save after the notice
     * finds its memory forgotten. Memory indexes are never reused, so a memory the tenant receives since, under the
     * same id or not, is embedded from its own text and saved after the notice.
     */
    public void dropped(final String tenant) {
        synchronized (storing) {
            stored.dropped(tenant);
        }
    }

    /** The text a memory is embedded by: what the user and the assistant said. */
    static String embeddedText(final String userText, final String aiText) {
        return aiText == null || aiText.isEmpty() ? userText : userText + "\n" + aiText;
    }

    /** Under {@link #storing}. */
    private void append(final int tenantId, final int index) {
        TenantVectors[] all = tenants;
        if (tenantId >= all.length) {
            all = Arrays.copyOf(all, Math.max(tenantId + 1, all.length * 2));
            tenants = all;
        }
        if (all[tenantId] == null) {
            all[tenantId] = new TenantVectors(vectors, GRAPH_THRESHOLD);
            tenants = all; // republish: a reader that sees the entry sees a complete holder
        }
        all[tenantId].add(index);
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
