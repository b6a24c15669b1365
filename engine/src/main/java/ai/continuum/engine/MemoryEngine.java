package ai.continuum.engine;

import ai.continuum.engine.extract.TimeExpression;
import ai.continuum.engine.semantic.SemanticIndex;
import ai.continuum.engine.semantic.StoredVectors;
import ai.continuum.engine.semantic.TextEmbedder;
import ai.continuum.engine.store.CompoundTable;
import ai.continuum.engine.store.ConceptGraph;
import ai.continuum.engine.store.ConceptLayout;
import ai.continuum.engine.store.DecodeBuffer;
import ai.continuum.engine.store.ImageInput;
import ai.continuum.engine.store.ImageOutput;
import ai.continuum.engine.store.MemoryTable;
import ai.continuum.engine.store.OffHeapArena;
import ai.continuum.engine.store.StringIndex;
import ai.continuum.engine.store.WordIndex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * The memory core: every tenant's concept graph, memories and compounds, off the Java heap, with learn and recall.
 *
 * <h2>Thread model</h2>
 * <ul>
 *   <li><b>Writes</b> ({@link #apply}, {@link #learn}, forget, prune) are serialised by one write lock: exactly one
 *       writer thread mutates the off-heap structures at a time, in the order the lock is acquired. A write takes
 *       microseconds, so one writer for all tenants is not a bottleneck; it also keeps the shared arenas free of
 *       races between tenants.</li>
 *   <li><b>Memory terms</b> (the word index of lexical recall) are indexed behind the apply by a
 *       {@link TermIndexer}, which has a writer of its own. A recall first indexes whatever is still queued, so a
 *       memory whose learn has returned is found by its words by every recall that starts afterwards.</li>
 *   <li><b>Recall</b> and the point reads ({@link #concept}, {@link #memory}, {@link #stats}) never take the write lock
 *       and block only to index memory terms still queued (see above): neighbour and posting lists are copied under
 *       per-concept sequence locks (retrying on a concurrent change), records are published with release stores and
 *       read with acquire loads, dictionaries are Chronicle Maps (safe for concurrent use). A reader never sees a
 *       torn neighbour list.</li>
 *   <li>Operations that walk a whole tenant ({@link #snapshot}, {@link #checksum}, {@link #concepts}) hold the write
 *       lock, so they see one consistent state; recall continues meanwhile.</li>
 * </ul>
 *
 * <h2>Merge semantics</h2>
 * State is built only from {@link Delta}s whose merge is commutative: applying the same deltas in any order gives the
 * same {@link #checksum}. {@link #snapshot} emits a tenant's state as deltas; applying them to an empty engine
 * rebuilds it exactly.
 */
public final class MemoryEngine implements AutoCloseable {
    /** The listing type of compounds ({@link #concepts}); not a concept type. */
    public static final String COMPOUND_TYPE = "compound_concept";
    /** The listing type of decisions ({@link #concepts}). */
    public static final String DECISION_TYPE = "decision";
    /** Items per delta emitted by {@link #snapshot}. */
    public static final int SNAPSHOT_CHUNK = 10_000;

    private static final int MAX_TENANT_CHARS = 128;
    /** Entries the engine's hash tables (links, words, memories, compounds) are first sized for; they double after. */
    private static final int FIRST_TABLE_ENTRIES = 1024;

    private final EngineConfig config;
    private final LongSupplier clock;
    private final OffHeapArena arena = new OffHeapArena();
    private final ConceptGraph graph;
    private final StringIndex dictionary;
    private final WordIndex words;
    private final TermIndexer memoryTerms;
    private final MemoryTable memories;
    private final CompoundTable compounds;
    private final DeltaApplier applier;
    private final Recaller recaller;
    /** Sentence vectors of the memories; null when the engine was created without an embedder. */
    private final SemanticIndex semantic;

    private final Learner learner;
    private final ConcurrentHashMap<String, TenantState> tenants = new ConcurrentHashMap<>();
    /** Guards all writes; see the class comment. */
    private final ReentrantLock writeLock = new ReentrantLock();

    private final ManyToManyConcurrentArrayQueue<RecallScratch> scratchPool = new ManyToManyConcurrentArrayQueue<>(256);
    private int nextTenantId;
    private volatile boolean closed;
    /** Whether {@link #closeAndRelease} returned the direct memory; under the write lock. */
    private boolean released;

    private MemoryEngine(final EngineConfig config, final LongSupplier clock, final TextEmbedder embedder) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Only the dictionary is sized by the hint: a Chronicle Map outgrows its size only so far. The hash tables
        // double as they fill, and their slots are zeroed, resident memory: sized by the hint they held 10 MiB more
        // than their fill at 100k concepts (benchmarks/RESULTS.md, "Arena chunks that grow with the arena, and hash
        // tables sized by their fill").
        this.graph = new ConceptGraph(arena, FIRST_TABLE_ENTRIES);
        this.dictionary = new StringIndex("continuum-concepts", config.expectedConcepts(), 16);
        this.words = new WordIndex(arena, FIRST_TABLE_ENTRIES);
        this.memories = new MemoryTable(arena, FIRST_TABLE_ENTRIES);
        this.memoryTerms = new TermIndexer(memories, FIRST_TABLE_ENTRIES);
        this.compounds = new CompoundTable(arena, FIRST_TABLE_ENTRIES);
        this.semantic = embedder == null ? null : new SemanticIndex(embedder, memories);
        this.applier = new DeltaApplier(graph, dictionary, words, memoryTerms, memories, compounds, semantic);
        this.recaller = new Recaller(
                config,
                graph,
                dictionary,
                words,
                memoryTerms.index(),
                memoryTerms.termIds(),
                memories,
                compounds,
                semantic,
                clock);
        this.learner = new Learner(config);
    }

    public static MemoryEngine create(final EngineConfig config) {
        return new MemoryEngine(config, System::currentTimeMillis, null);
    }

    /**
     * An empty engine with the given tunables and clock.
     *
     * @param clock epoch milliseconds "now", for lazy time decay (tests pass a fixed clock).
     */
    public static MemoryEngine create(final EngineConfig config, final LongSupplier clock) {
        return new MemoryEngine(config, clock, null);
    }

    /**
     * An engine with a semantic index: every memory learned is embedded by {@code embedder} in the background, and
     * recall fuses the memories nearest the query's vector with its lexical and graph evidence. The engine closes the
     * embedder.
     */
    public static MemoryEngine create(
            final EngineConfig config, final LongSupplier clock, final TextEmbedder embedder) {
        return new MemoryEngine(config, clock, Objects.requireNonNull(embedder, "embedder"));
    }

    /** Whether recall can use semantic evidence (the engine was created with an embedder). */
    public boolean semanticEnabled() {
        return semantic != null;
    }

    /**
     * Waits until every memory learned so far has its vector, at most {@code timeoutMillis}; returns whether it has
     * (true at once without a semantic index). Recall meanwhile finds unembedded memories by words and graph.
     */
    public boolean awaitSemanticIndex(final long timeoutMillis) throws InterruptedException {
        return semantic == null || semantic.awaitIdle(timeoutMillis);
    }

    /**
     * Where the semantic index looks vectors up before it runs the model and keeps those it computed
     * ({@link StoredVectors}); attach before memories are loaded so a restart takes the stored ones. No-op without a
     * semantic index.
     */
    public void attachStoredVectors(final StoredVectors store) {
        if (semantic != null) {
            semantic.attach(Objects.requireNonNull(store, "store"));
        }
    }

    /** The name the semantic index's vectors are stored under (its model), or null without a semantic index. */
    public String semanticModel() {
        return semantic == null ? null : semantic.model();
    }

    /**
     * Takes a vector computed earlier by this engine's model ({@link #semanticModel}) for a live memory that has none;
     * returns whether it was taken (false without a semantic index, for an unknown or forgotten memory, or a vector of
     * other dimensions).
     */
    public boolean presetVector(final String tenant, final long memoryId, final byte[] quantised, final float scale) {
        if (semantic == null) {
            return false;
        }
        writeLock.lock();
        try {
            ensureOpen();
            final TenantState t = tenants.get(tenant);
            final int index = t == null ? -1 : memories.find(t.id, memoryId);
            return index >= 0 && semantic.preset(t.id, index, quantised, scale);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Queues every live memory that has no vector for the semantic index (which takes stored vectors first): after an
     * image was loaded, whose memories were never queued. Returns how many were queued; 0 without a semantic index.
     */
    public int embedMissing() {
        if (semantic == null) {
            return 0;
        }
        writeLock.lock();
        try {
            ensureOpen();
            int queued = 0;
            for (final TenantState t : tenants.values()) {
                for (int i = 0; i < t.memories.size(); i++) {
                    final int index = t.memories.getInt(i);
                    if (memories.state(index) == MemoryTable.LIVE && !semantic.has(index)) {
                        semantic.enqueue(t.name, t.id, index);
                        queued++;
                    }
                }
            }
            return queued;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * How long each of the last (up to 4096) memories learned waited for its terms to be indexed, in nanoseconds, in
     * no particular order: the lag of the term index behind learn, which recall hides by indexing the rest itself.
     */
    public long[] recentTermIndexDelaysNanos() {
        return memoryTerms.recentDelaysNanos();
    }

    /** Memories learned whose terms are not yet indexed (recall indexes them itself before it reads the index). */
    public long termIndexBacklog() {
        return memoryTerms.backlog();
    }

    /**
     * Tells {@code listener}, on the term indexer's thread (or a recall's, when it helps), each memory's visibility
     * delay in nanoseconds: from its learn to its terms in the index. It must be quick and must not block.
     */
    public void onTermIndexDelay(final LongConsumer listener) {
        memoryTerms.onDelay(listener);
    }

    /** Memories learned and not yet embedded; 0 without a semantic index. */
    public long semanticBacklog() {
        return semantic == null ? 0 : semantic.pending();
    }

    public EngineConfig config() {
        return config;
    }

    /** Extraction only: the delta learning {@code turn} means. Pure; no state changes. */
    public Delta prepare(final Turn turn) {
        return learner.prepare(turn);
    }

    /** {@link #prepare} then {@link #apply}. */
    public LearnOutcome learn(final String tenant, final Turn turn) {
        final Delta delta = prepare(turn);
        return new LearnOutcome(delta, apply(tenant, delta));
    }

    /** Merges {@code delta} into the tenant's state. */
    public ApplyResult apply(final String tenant, final Delta delta) {
        if (delta.isEmpty()) {
            return ApplyResult.NONE;
        }
        writeLock.lock();
        try {
            ensureOpen();
            return applier.apply(tenantForWrite(tenant), delta);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Starts a bulk load (a rebuild from storage, an import): deltas applied through it skip per-delta adjacency
     * ordering, which is restored once per touched concept on {@link BulkLoad#close}. Holds the write lock until
     * closed, so use it from one thread; recall keeps running meanwhile (seeing neighbour lists not yet ordered).
     */
    public BulkLoad bulkLoad() {
        writeLock.lock();
        try {
            ensureOpen();
        } catch (final IllegalStateException closedAlready) {
            writeLock.unlock();
            throw closedAlready;
        }
        return new BulkLoad();
    }

    /** A bulk load in progress; see {@link #bulkLoad}. Not thread-safe. */
    public final class BulkLoad implements AutoCloseable {
        private boolean open = true;

        private BulkLoad() {}

        public ApplyResult apply(final String tenant, final Delta delta) {
            if (!open) {
                throw new IllegalStateException("bulk load is closed");
            }
            return applier.apply(tenantForWrite(tenant), delta, true);
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                try {
                    applier.endBulk();
                } finally {
                    writeLock.unlock();
                }
            }
        }
    }

    public RecallResult recall(final String tenant, final String query) {
        return recall(tenant, query, config.maxConcepts(), config.maxMemories());
    }

    /**
     * Concepts, relationships and memories related to {@code query}.
     *
     * @param maxConcepts 1..100
     * @param maxMemories 0..100
     */
    public RecallResult recall(final String tenant, final String query, final int maxConcepts, final int maxMemories) {
        return recall(tenant, query, maxConcepts, maxMemories, true);
    }

    /**
     * As {@link #recall(String, String, int, int)}; {@code useSemantic} false leaves the semantic index out of this
     * call (it is out of every call of an engine without one).
     */
    public RecallResult recall(
            final String tenant,
            final String query,
            final int maxConcepts,
            final int maxMemories,
            final boolean useSemantic) {
        final long start = System.nanoTime();
        checkLimits(maxConcepts, maxMemories);
        final TenantState t = tenants.get(tenant);
        if (t == null || query.isBlank()) {
            return new RecallResult(List.of(), List.of(), List.of(), "", System.nanoTime() - start);
        }
        final RecallScratch scratch = acquireScratch();
        try {
            recallInto(t, query, maxConcepts, maxMemories, useSemantic, scratch, scratch.output, start);
            return scratch.output.toResult();
        } finally {
            scratch.output.trim();
            scratchPool.offer(scratch);
        }
    }

    /**
     * As {@link #recall(String, String, int, int, boolean)}, written into {@code out} instead of returned as values:
     * the answer's names and texts are decoded into buffers {@code out} keeps, so a caller that reuses it (the HTTP
     * layer writes its JSON from it) allocates nothing for the answer. Valid until the next recall into {@code out}.
     */
    public void recall(
            final String tenant,
            final String query,
            final int maxConcepts,
            final int maxMemories,
            final boolean useSemantic,
            final RecallOutput out) {
        final long start = System.nanoTime();
        checkLimits(maxConcepts, maxMemories);
        final TenantState t = tenants.get(tenant);
        if (t == null || query.isBlank()) {
            out.start(config.workingMemoryCapacity());
            out.finish(System.nanoTime() - start);
            return;
        }
        final RecallScratch scratch = acquireScratch();
        try {
            recallInto(t, query, maxConcepts, maxMemories, useSemantic, scratch, out, start);
        } finally {
            scratchPool.offer(scratch);
        }
    }

    private void checkLimits(final int maxConcepts, final int maxMemories) {
        if (maxConcepts < 1 || maxConcepts > 100) {
            throw new IllegalArgumentException("maxConcepts=" + maxConcepts + " must be in [1, 100]");
        }
        if (maxMemories < 0 || maxMemories > 100) {
            throw new IllegalArgumentException("maxMemories=" + maxMemories + " must be in [0, 100]");
        }
        ensureOpen();
    }

    private void recallInto(
            final TenantState t,
            final String query,
            final int maxConcepts,
            final int maxMemories,
            final boolean useSemantic,
            final RecallScratch scratch,
            final RecallOutput out,
            final long start) {
        memoryTerms.awaitIndexed(); // read-your-writes: every memory learned before this recall is found by its words
        recaller.recall(
                t,
                scratch.parsedQuery.parse(query),
                TimeExpression.parse(query),
                query,
                useSemantic && semantic != null && maxMemories > 0,
                maxConcepts,
                maxMemories,
                scratch,
                out,
                start);
    }

    /** A cursor for {@link #resonate}; keep one per thread. */
    public ResonanceCursor newResonanceCursor() {
        final ResonanceCursor cursor = new ResonanceCursor(newScratch());
        cursor.engine = this;
        return cursor;
    }

    /**
     * The graph walk of recall without the text around it: seeds the concepts with the given normalised keys at 1.0,
     * spreads activation ({@code depth} hops, {@code neighboursPerHop} strongest links each) and ranks the best
     * {@code limit} into {@code cursor}. Allocation-free once the cursor has warmed up: this is the hot path the
     * latency targets pin.
     *
     * @return concepts ranked.
     */
    public int resonate(
            final String tenant,
            final CharSequence[] keys,
            final int keyCount,
            final int limit,
            final ResonanceCursor cursor) {
        ensureOpen();
        final TenantState t = tenants.get(tenant);
        if (t == null) {
            cursor.scratch.reset();
            cursor.ranked = 0;
            return 0;
        }
        cursor.ranked = recaller.resonate(t, keys, keyCount, Math.max(1, limit), cursor.scratch);
        return cursor.ranked;
    }

    String displayName(final int conceptId) {
        return info(conceptId).displayName();
    }

    /** Forgets a memory; returns whether a live memory was removed. The id stays a tombstone. */
    public boolean forgetMemory(final String tenant, final long memoryId) {
        writeLock.lock();
        try {
            ensureOpen();
            return applier.forgetMemory(tenantForWrite(tenant), memoryId);
        } finally {
            writeLock.unlock();
        }
    }

    /** Forgets a concept by name (any case), with its links, compounds and postings. */
    public boolean forgetConcept(final String tenant, final String name) {
        writeLock.lock();
        try {
            ensureOpen();
            final TenantState t = tenants.get(tenant);
            return t != null && applier.forgetConcept(t, ConceptKeys.normalize(name));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Removes everything the tenant holds (concepts, links, compounds, memories, decisions and tombstones), as if it
     * had never learned anything: the next write under this name starts an empty tenant. A replace-import drops the
     * tenant and loads the document. Readers already walking the tenant finish against records being freed, exactly
     * as during {@link #forgetConcept}. The semantic index's store hears of every drop ({@link StoredVectors#dropped}),
     * also of a tenant this engine does not hold, once no vector of the dropped memories can reach it any more.
     *
     * @return whether the tenant held any state.
     */
    public boolean dropTenant(final String tenant) {
        writeLock.lock();
        try {
            ensureOpen();
            final TenantState t = tenants.remove(tenant);
            if (t != null) {
                applier.releaseAllMemories(t);
            }
            if (semantic != null) {
                semantic.dropped(tenant);
            }
            if (t == null) {
                return false;
            }
            for (final int id : t.concepts.toIntArray()) {
                applier.forgetConcept(t, info(id).key());
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Removes the tenant's links whose strength at {@code nowMillis} is strictly below {@code threshold}. With
     * {@code applyDecay} false the strength is the undecayed one (count alone), even when time decay is configured;
     * survivors are not rewritten either way (decay stays lazy).
     */
    public PruneReport pruneWeakLinks(
            final String tenant, final double threshold, final long nowMillis, final boolean applyDecay) {
        writeLock.lock();
        try {
            ensureOpen();
            final TenantState t = tenants.get(tenant);
            if (t == null) {
                return new PruneReport(0, 0, 0, 0, threshold, applyDecay && config.timeDecayEnabled());
            }
            return applier.prune(t, config, threshold, nowMillis, applyDecay);
        } finally {
            writeLock.unlock();
        }
    }

    public TenantStats stats(final String tenant) {
        final TenantState t = tenants.get(tenant);
        return t == null ? new TenantStats(0, 0, 0, 0, 0) : t.stats();
    }

    /** Order-independent digest of the tenant's live state (see {@link StateDigest}); 0 for an unknown tenant. */
    public long checksum(final String tenant) {
        final StateDigest digest = new StateDigest();
        snapshot(tenant, digest::addAll);
        return digest.value();
    }

    /**
     * Emits the tenant's live state as deltas of at most {@link #SNAPSHOT_CHUNK} items each: concepts, then links,
     * compounds, memories, decisions. Applying them, in any order, to an empty tenant rebuilds this state.
     */
    public void snapshot(final String tenant, final Consumer<Delta> sink) {
        writeLock.lock();
        try {
            ensureOpen();
            final TenantState t = tenants.get(tenant);
            if (t != null) {
                new SnapshotWriter(graph, memories, compounds, t, SNAPSHOT_CHUNK, sink).write();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * What an image written by this build is tagged with (its format, the off-heap layouts, the byte order): an image
     * with another identity is not loadable here, so a caller can refuse it before reading further.
     */
    public static long imageIdentity() {
        return EngineImage.identity();
    }

    /**
     * Writes the whole engine as an image ({@link EngineImage}) that {@link #readImage} loads in one sequential read.
     * Holds the write lock throughout, so the image is one consistent state.
     */
    public void writeImage(final ImageOutput out) {
        writeImage(out, () -> {});
    }

    /**
     * As {@link #writeImage(ImageOutput)}, letting writers go as soon as the state is captured: the write lock is held
     * while the regions are written and the dictionary's entries are copied to the heap, then released, then {@code
     * captured} runs, then the dictionary's map file is built from the copy and written (most of a dump's time, see
     * {@link StringIndex#writeTo(ImageOutput, StringIndex.Entries)}). Writers wait for the first part only; readers
     * never wait.
     */
    public void writeImage(final ImageOutput out, final Runnable captured) {
        final StringIndex.Entries concepts;
        writeLock.lock();
        try {
            ensureOpen();
            memoryTerms.awaitIndexed(); // the tenants' term totals below include every memory stored
            EngineImage.writeHeader(out);
            out.writeInt(nextTenantId);
            final List<TenantState> all = new ArrayList<>(tenants.values());
            out.writeInt(all.size());
            for (final TenantState t : all) {
                EngineImage.writeTenant(out, t);
            }
            arena.writeTo(out);
            graph.writeTo(out);
            words.writeTo(out);
            memoryTerms.writeTo(out);
            memories.writeTo(out);
            compounds.writeTo(out);
            concepts = dictionary.entries();
        } finally {
            writeLock.unlock();
        }
        captured.run();
        dictionary.writeTo(out, concepts);
    }

    /**
     * Loads an image written by {@link #writeImage} into this engine, which must be empty (just created). The caller
     * proves the bytes intact first (a checksum over the image): a failure here leaves this engine unusable, so it
     * must then be closed and a new one built.
     *
     * @return where the time went, for the caller's log.
     * @throws IllegalStateException when the image is of another format, layout or byte order, or does not parse.
     */
    public ImageLoadTimes readImage(final ImageInput in) {
        writeLock.lock();
        try {
            ensureOpen();
            if (!tenants.isEmpty() || nextTenantId != 0) {
                throw new IllegalStateException("an image is read into an empty engine only");
            }
            final long t0 = System.nanoTime();
            EngineImage.readHeader(in);
            final int next = in.readCount(Integer.MAX_VALUE, "tenant ids");
            final int count = in.readCount(next, "tenants");
            final List<TenantState> read = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                read.add(EngineImage.readTenant(in));
            }
            final long t1 = System.nanoTime();
            arena.readFrom(in);
            graph.readFrom(in);
            final long t2 = System.nanoTime();
            words.readFrom(in);
            memoryTerms.readFrom(in);
            memories.readFrom(in);
            compounds.readFrom(in);
            final long t3 = System.nanoTime();
            dictionary.readFrom(in);
            final long t4 = System.nanoTime();
            nextTenantId = next;
            for (final TenantState t : read) {
                tenants.put(t.name, t);
            }
            return new ImageLoadTimes(t1 - t0, t2 - t1, t4 - t3, t3 - t2, dictionary.size());
        } finally {
            writeLock.unlock();
        }
    }

    /** Names of the tenants that hold state, sorted. */
    public Set<String> tenants() {
        return Collections.unmodifiableSet(new TreeSet<>(tenants.keySet()));
    }

    /** A concept by name (any case) with up to {@code maxNeighbours} strongest neighbours. */
    public Optional<ConceptView> concept(final String tenant, final String name, final int maxNeighbours) {
        ensureOpen();
        final TenantState t = tenants.get(tenant);
        if (t == null) {
            return Optional.empty();
        }
        final int id = dictionary.get(t.id, ConceptKeys.normalize(name), new StringIndex.Probe());
        if (id == StringIndex.MISSING) {
            return Optional.empty();
        }
        return Optional.ofNullable(view(t, id, Math.max(0, Math.min(maxNeighbours, ConceptGraph.MAX_NEIGHBOURS))));
    }

    /**
     * The tenant's concepts, newest first, optionally of one type. Type {@link #COMPOUND_TYPE} lists the compounds
     * (named by their first three components, described by all of them as JSON, dated by their last sighting) and
     * type {@link #DECISION_TYPE} the decisions (named by their text, dated by their memory), the items the tenant's
     * stats count under those names.
     */
    public List<ConceptView> concepts(final String tenant, final String typeOrNull, final int offset, final int limit) {
        final List<Integer> ids = new ArrayList<>();
        writeLock.lock();
        try {
            ensureOpen();
            final TenantState t = tenants.get(tenant);
            if (t == null) {
                return List.of();
            }
            if (COMPOUND_TYPE.equals(typeOrNull)) {
                return compoundViews(t, offset, limit);
            }
            if (DECISION_TYPE.equals(typeOrNull)) {
                return decisionViews(t, offset, limit);
            }
            int skipped = 0;
            for (int i = t.concepts.size() - 1; i >= 0 && ids.size() < limit; i--) {
                final int id = t.concepts.getInt(i);
                if (typeOrNull != null && !typeOrNull.equals(info(id).type())) {
                    continue;
                }
                if (skipped++ >= offset) {
                    ids.add(id);
                }
            }
            final List<ConceptView> out = new ArrayList<>(ids.size());
            for (final int id : ids) {
                out.add(view(t, id, 0));
            }
            return out;
        } finally {
            writeLock.unlock();
        }
    }

    /** Number of the tenant's concepts, optionally of one type. */
    public long conceptCount(final String tenant, final String typeOrNull) {
        final TenantState t = tenants.get(tenant);
        if (t == null) {
            return 0;
        }
        if (typeOrNull == null) {
            return t.liveConcepts;
        }
        if (COMPOUND_TYPE.equals(typeOrNull)) {
            return t.liveCompounds;
        }
        if (DECISION_TYPE.equals(typeOrNull)) {
            return t.liveDecisions;
        }
        writeLock.lock();
        try {
            long n = 0;
            for (int i = 0; i < t.concepts.size(); i++) {
                if (typeOrNull.equals(info(t.concepts.getInt(i)).type())) {
                    n++;
                }
            }
            return n;
        } finally {
            writeLock.unlock();
        }
    }

    /** Whether the tenant holds memory {@code memoryId}, live or forgotten (a forgotten id stays a tombstone). */
    public boolean knowsMemory(final String tenant, final long memoryId) {
        ensureOpen();
        final TenantState t = tenants.get(tenant);
        return t != null && memories.find(t.id, memoryId) >= 0;
    }

    public Optional<Memory> memory(final String tenant, final long memoryId) {
        ensureOpen();
        final TenantState t = tenants.get(tenant);
        if (t == null) {
            return Optional.empty();
        }
        final int index = memories.find(t.id, memoryId);
        if (index < 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(MemoryReader.read(
                memories, graph, index, t.id, new String[MemoryTable.STRINGS], new DecodeBuffer(0), true));
    }

    /** Off-heap bytes reserved by all structures (arena chunks, record stores, hash tables, dictionaries). */
    public long offHeapBytes() {
        return arena.reservedBytes()
                + graph.concepts().reservedBytes()
                + graph.links().reservedBytes()
                + graph.linkIndexBytes()
                + graph.interned().reservedBytes()
                + memories.reservedBytes()
                + compounds.reservedBytes()
                + words.offHeapBytes()
                + memoryTerms.offHeapBytes()
                + dictionary.offHeapBytes()
                + (semantic == null ? 0 : semantic.reservedBytes());
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            memoryTerms.close();
            if (semantic != null) {
                semantic.close();
            }
            dictionary.close();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Closes the engine and returns its direct memory at once instead of at the next full collection: a dropped engine
     * of 100k concepts / 500k links holds about 118 MiB, which a small heap may not collect for a long time
     * (RESULTS.md, "A real 256 MiB container"). Only for an engine no other thread can reach any more (a checkpoint's,
     * a test's): a read after this would touch freed memory, which crashes the JVM. The serving engine, which request
     * threads may still hold at shutdown, is closed with {@link #close} and left to the collector.
     */
    public void closeAndRelease() {
        close();
        writeLock.lock();
        try {
            if (released) {
                return;
            }
            released = true;
            memoryTerms.release();
            if (semantic != null) {
                semantic.release();
            }
            graph.release();
            memories.release();
            compounds.release();
            words.release();
            arena.release();
        } finally {
            writeLock.unlock();
        }
    }

    private ConceptView view(final TenantState t, final int id, final int maxNeighbours) {
        if (graph.tenantOf(id) != t.id) {
            return null;
        }
        final ConceptInfo info = info(id);
        final List<ConceptView.Neighbour> neighbours = new ArrayList<>();
        if (maxNeighbours > 0) {
            final int[] ids = new int[maxNeighbours];
            final int[] links = new int[maxNeighbours];
            final int[] counts = new int[maxNeighbours];
            final int n = graph.readNeighbours(id, maxNeighbours, ids, links, counts);
            final long now = clock.getAsLong();
            for (int i = 0; i < n; i++) {
                final long lastSeen = graph.linkLastSeen(links[i]);
                final double days = Math.max(0L, now - lastSeen) / 86_400_000.0;
                neighbours.add(new ConceptView.Neighbour(
                        info(ids[i]).displayName(), config.strength(counts[i], days), counts[i], lastSeen));
            }
        }
        final long created = info.firstSeenMillis() == DeltaApplier.UNSEEN ? 0 : info.firstSeenMillis();
        return new ConceptView(info.displayName(), info.type(), info.description(), created, neighbours);
    }

    /** Under the write lock: live compounds of the tenant, newest first. */
    private List<ConceptView> compoundViews(final TenantState t, final int offset, final int limit) {
        final List<ConceptView> out = new ArrayList<>();
        int skipped = 0;
        for (int i = t.compounds.size() - 1; i >= 0 && out.size() < limit; i--) {
            final int rec = t.compounds.getInt(i);
            if (compounds.tenant(rec) != t.id || skipped++ < offset) {
                continue;
            }
            final List<String> names = new ArrayList<>();
            for (int c = 0; c < compounds.componentCount(rec); c++) {
                names.add(info(compounds.component(rec, c)).displayName());
            }
            out.add(new ConceptView(
                    CompoundNames.name(names),
                    COMPOUND_TYPE,
                    CompoundNames.json(names),
                    compounds.lastSeen(rec),
                    List.of()));
        }
        return out;
    }

    /** Under the write lock: live decisions of the tenant, newest first. */
    private List<ConceptView> decisionViews(final TenantState t, final int offset, final int limit) {
        final List<ConceptView> out = new ArrayList<>();
        int skipped = 0;
        for (int i = t.decisions.size() - 1; i >= 0 && out.size() < limit; i--) {
            final int rec = t.decisions.getInt(i);
            if (!memories.decisionLive(rec) || skipped++ < offset) {
                continue;
            }
            out.add(new ConceptView(
                    memories.decisionText(rec),
                    DECISION_TYPE,
                    "Decision in memory " + memories.decisionMemoryId(rec),
                    memories.decisionTime(rec),
                    List.of()));
        }
        return out;
    }

    private ConceptInfo info(final int id) {
        return ConceptInfo.read(arena, graph.interned(), graph.getLong(id, ConceptLayout.INFO_ADDR));
    }

    private TenantState tenantForWrite(final String tenant) {
        final TenantState existing = tenants.get(tenant);
        if (existing != null) {
            return existing;
        }
        if (tenant == null || tenant.isEmpty() || tenant.length() > MAX_TENANT_CHARS) {
            throw new IllegalArgumentException("tenant must be 1.." + MAX_TENANT_CHARS + " characters");
        }
        final TenantState created = new TenantState(nextTenantId++, tenant);
        tenants.put(tenant, created);
        return created;
    }

    private RecallScratch acquireScratch() {
        final RecallScratch pooled = scratchPool.poll();
        return pooled != null ? pooled : newScratch();
    }

    private RecallScratch newScratch() {
        return new RecallScratch(
                config.neighboursPerHop(),
                graph.newPairProbe(),
                words.newProbe(),
                memoryTerms.index().newProbe());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("engine is closed");
        }
    }
}
