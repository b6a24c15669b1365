package ai.continuum.engine;

import ai.continuum.engine.semantic.SemanticIndex;
import ai.continuum.engine.store.CompoundTable;
import ai.continuum.engine.store.ConceptGraph;
import ai.continuum.engine.store.ConceptLayout;
import ai.continuum.engine.store.MemoryTable;
import ai.continuum.engine.store.StringIndex;
import ai.continuum.engine.store.TextBlob;
import ai.continuum.engine.store.WordIndex;
import java.util.BitSet;
import java.util.List;
import org.agrona.collections.Object2IntHashMap;

/**
 * Applies deltas and maintenance operations to the off-heap state. Every method runs on the writer (the caller holds
 * the engine's write lock), so the reusable buffers below are safe.
 *
 * <p>Merge rules, which make application order irrelevant: a concept keeps its earliest sighting (ties: smaller
 * display name); link and compound counts add and last-seen times take the maximum; memories and decisions are
 * insert-if-absent; a forgotten memory stays a tombstone, so replaying the delta that created it does not revive it.
 */
// TenantState's counters are volatile for their readers, and changed (count++, count -= n) by the single writer under
// the engine's write lock, so a read-modify-write cannot race with another write.
@SuppressWarnings("NonAtomicVolatileUpdate")
final class DeltaApplier {
    /** Above this many links, a delta is applied in bulk: adjacency order is restored once per touched concept. */
    private static final int BULK_LINKS = 256;
    /** First-seen time of a concept known only from a link or a memory; any real sighting precedes it. */
    static final long UNSEEN = Long.MAX_VALUE;
    /** Capacity above which the per-delta id map is replaced rather than cleared. */
    private static final int SMALL_ID_MAP = 1024;

    private final ConceptGraph graph;
    private final StringIndex dictionary;
    private final WordIndex words;
    private final TermIndexer memoryTerms;
    private final MemoryTable memories;
    private final CompoundTable compounds;
    /**
     * Concept ids whose adjacency order bulk applies left unsorted. A bit per id (ids are dense from 0): a rebuild
     * touches nearly every concept, and a set bit costs no cache miss where a hash set of a million ids costs one per
     * add; {@link #restoreOrder} then walks the concepts in id order.
     */
    private final BitSet touched = new BitSet();
    /**
     * Key -> concept id of the tenant being applied, for the length of one apply: a delta names each concept in its
     * links, compound and memory again, and a dictionary lookup costs far more than this map. During a bulk load it
     * lives across the applies of one tenant ({@link #bulkTenant}), since a rebuild's link chunks name concepts of
     * earlier chunks: it then grows to the tenant's concept count (about 70 bytes of heap each, key strings
     * included) until {@link #endBulk}. Valid because a concept's id never changes while it exists, and only
     * {@link #forgetConcept} removes one (which drops the map).
     */
    private Object2IntHashMap<String> idsInDelta = newIdsInDelta();
    /** The tenant whose ids {@link #idsInDelta} keeps across bulk applies; null outside a bulk load. */
    private TenantState bulkTenant;

    /** Embeds each new memory in the background; null when the engine has no semantic index. */
    private final SemanticIndex semantic;

    private int[] ids = new int[64];
    private long[] sortScratch = new long[1024];

    DeltaApplier(
            final ConceptGraph graph,
            final StringIndex dictionary,
            final WordIndex words,
            final TermIndexer memoryTerms,
            final MemoryTable memories,
            final CompoundTable compounds,
            final SemanticIndex semantic) {
        this.graph = graph;
        this.dictionary = dictionary;
        this.words = words;
        this.memoryTerms = memoryTerms;
        this.memories = memories;
        this.compounds = compounds;
        this.semantic = semantic;
    }

    ApplyResult apply(final TenantState t, final Delta delta) {
        return apply(t, delta, false);
    }

    /**
     * @param deferOrder when true, adjacency order is left to {@link #restoreOrder}, called once after many applies
     *                   (a rebuild): sorting each touched concept once instead of once per delta.
     */
    ApplyResult apply(final TenantState t, final Delta delta, final boolean deferOrder) {
        if (!deferOrder || t != bulkTenant) {
            resetIds();
            bulkTenant = deferOrder ? t : null;
        }
        int conceptsCreated = 0;
        for (final Delta.ConceptDelta c : delta.concepts()) {
            if (sight(t, c)) {
                conceptsCreated++;
            }
        }
        final boolean bulk = deferOrder || delta.links().size() > BULK_LINKS;
        int linksCreated = 0;
        for (final Delta.LinkDelta l : delta.links()) {
            final int a = conceptId(t, l.a());
            final int b = conceptId(t, l.b());
            if (graph.addCooccurrence(a, b, l.count(), l.lastSeenMillis(), bulk)) {
                linksCreated++;
                t.liveLinks++;
            }
            if (bulk) {
                touched.set(a);
                touched.set(b);
            }
        }
        if (bulk && !deferOrder) {
            restoreOrder();
        }
        int compoundsCreated = 0;
        for (final Delta.CompoundDelta c : delta.compounds()) {
            if (addCompound(t, c)) {
                compoundsCreated++;
            }
        }
        int memoriesCreated = 0;
        for (final Delta.MemoryDelta m : delta.memories()) {
            if (addMemory(t, m)) {
                memoriesCreated++;
            }
        }
        for (final Delta.DecisionDelta d : delta.decisions()) {
            if (memories.findDecision(t.id, d.memoryId(), d.ordinal()) < 0 && !isForgotten(t, d.memoryId())) {
                t.decisions.addInt(memories.addDecision(t.id, d.memoryId(), d.ordinal(), d.text(), d.timeMillis()));
                t.liveDecisions++;
            }
        }
        return new ApplyResult(conceptsCreated, linksCreated, compoundsCreated, memoriesCreated);
    }

    private void resetIds() {
        if (idsInDelta.capacity() > SMALL_ID_MAP) {
            idsInDelta = newIdsInDelta(); // clear() fills the whole table: after a bulk chunk, start small again
        } else {
            idsInDelta.clear();
        }
    }

    private static Object2IntHashMap<String> newIdsInDelta() {
        return new Object2IntHashMap<>(64, 0.6f, StringIndex.MISSING);
    }

    /** Ends a bulk load: restores adjacency order and lets go of the ids kept across its applies. */
    void endBulk() {
        bulkTenant = null;
        resetIds();
        restoreOrder();
    }

    /** Sorts the adjacency of every concept touched by bulk applies since the last call. */
    void restoreOrder() {
        for (int id = touched.nextSetBit(0); id >= 0; id = touched.nextSetBit(id + 1)) {
            if (graph.degree(id) > sortScratch.length) {
                sortScratch = new long[graph.degree(id) * 2];
            }
            graph.sortAdjacency(id, sortScratch);
        }
        touched.clear();
    }

    /** Records a sighting; returns whether the concept is new. */
    private boolean sight(final TenantState t, final Delta.ConceptDelta c) {
        final int existing = dictionary.get(t.id, c.key());
        if (existing == StringIndex.MISSING) {
            idsInDelta.put(c.key(), createConcept(t, c));
            return true;
        }
        idsInDelta.put(c.key(), existing);
        final long infoAddr = graph.getLong(existing, ConceptLayout.INFO_ADDR);
        if (c.firstSeenMillis() > ConceptInfo.firstSeen(graph.arena(), infoAddr)) {
            return false; // the common case, a later sighting: nothing to decode
        }
        final Delta.ConceptDelta current =
                ConceptInfo.read(graph.arena(), graph.interned(), infoAddr).toDelta();
        if (Delta.ConceptDelta.precedes(c, current) && !c.equals(current)) {
            // Replaced, not edited: a reader may hold the old block, which therefore is never freed.
            graph.putLongRelease(
                    existing, ConceptLayout.INFO_ADDR, ConceptInfo.write(graph.arena(), graph.interned(), c));
        }
        return false;
    }

    private int createConcept(final TenantState t, final Delta.ConceptDelta c) {
        final int id = graph.addConcept(t.id);
        graph.putLongRelease(id, ConceptLayout.INFO_ADDR, ConceptInfo.write(graph.arena(), graph.interned(), c));
        dictionary.put(t.id, c.key(), id);
        words.add(t.id, c.key(), id);
        t.concepts.addInt(id);
        t.liveConcepts++;
        return id;
    }

    /** The id of concept {@code key}, creating it, unseen (no sighting yet), when absent. */
    int conceptId(final TenantState t, final String key) {
        int id = idsInDelta.getValue(key);
        if (id != StringIndex.MISSING) {
            return id;
        }
        id = dictionary.get(t.id, key);
        if (id == StringIndex.MISSING) {
            id = createConcept(t, new Delta.ConceptDelta(key, key, "concept", "", UNSEEN));
        }
        idsInDelta.put(key, id);
        return id;
    }

    private boolean addCompound(final TenantState t, final Delta.CompoundDelta c) {
        final List<String> keys = c.components();
        ensureIds(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            ids[i] = conceptId(t, keys.get(i));
        }
        final int existing = compounds.find(t.id, ids, keys.size());
        if (existing >= 0) {
            compounds.add(existing, c.count(), c.lastSeenMillis());
            return false;
        }
        final int rec = compounds.add(t.id, ids, keys.size(), c.count(), c.lastSeenMillis());
        for (int i = 0; i < keys.size(); i++) {
            graph.appendInt(ids[i], ConceptLayout.CMP_ADDR, rec);
        }
        t.compounds.addInt(rec);
        t.liveCompounds++;
        return true;
    }

    private boolean addMemory(final TenantState t, final Delta.MemoryDelta m) {
        if (memories.find(t.id, m.id()) >= 0) {
            return false;
        }
        final List<String> keys = m.concepts();
        ensureIds(keys.size());
        int n = 0;
        for (final String key : keys) {
            final int id = conceptId(t, key);
            boolean duplicate = false;
            for (int i = 0; i < n && !duplicate; i++) {
                duplicate = ids[i] == id;
            }
            if (!duplicate) {
                ids[n++] = id;
            }
        }
        final byte[][] strings = {
            TextBlob.utf8(m.sessionId()),
            TextBlob.utf8(m.userText()),
            TextBlob.utf8(m.aiText()),
            TextBlob.utf8(m.thinking()),
            TextBlob.utf8(m.metadata())
        };
        final int index = memories.add(t.id, m.id(), m.timeMillis(), strings, ids, n);
        for (int i = 0; i < n; i++) {
            graph.appendInt(ids[i], ConceptLayout.MEM_ADDR, index);
        }
        // Indexed behind the apply; a recall indexes what is still queued before it reads the terms (TermIndexer).
        memoryTerms.enqueue(t, index, m.userText(), m.aiText());
        final Integer previous = t.lastMemoryOfSession.put(m.sessionId(), index);
        if (previous != null) {
            memories.chain(previous, index);
        }
        t.memories.addInt(index);
        t.liveMemories++;
        if (semantic != null) {
            semantic.enqueue(t.name, t.id, index);
        }
        return true;
    }

    private boolean isForgotten(final TenantState t, final long memoryId) {
        final int index = memories.find(t.id, memoryId);
        return index >= 0 && memories.state(index) == MemoryTable.FORGOTTEN;
    }

    /** Forgets a memory (or records its tombstone if it was never seen); returns whether a live memory was removed. */
    boolean forgetMemory(final TenantState t, final long memoryId) {
        final int index = memories.find(t.id, memoryId);
        if (index < 0) {
            t.memories.addInt(memories.addTombstone(t.id, memoryId));
            return false;
        }
        if (memories.state(index) != MemoryTable.LIVE) {
            return false;
        }
        releaseMemory(t, index);
        for (int i = 0; i < t.decisions.size(); i++) {
            final int d = t.decisions.getInt(i);
            if (memories.decisionLive(d) && memories.decisionMemoryId(d) == memoryId) {
                memories.forgetDecision(d);
                t.liveDecisions--;
            }
        }
        return true;
    }

    /**
     * Frees every live memory and decision of a tenant that is being dropped (its concepts are forgotten first). One
     * pass over each list: a per-memory {@link #forgetMemory} would scan the decisions once per memory.
     */
    void releaseAllMemories(final TenantState t) {
        for (int i = 0; i < t.memories.size(); i++) {
            final int index = t.memories.getInt(i);
            if (memories.state(index) == MemoryTable.LIVE) {
                releaseMemory(t, index);
            }
        }
        for (int i = 0; i < t.decisions.size(); i++) {
            final int d = t.decisions.getInt(i);
            if (memories.decisionLive(d)) {
                memories.forgetDecision(d);
                t.liveDecisions--;
            }
        }
    }

    /** Removes a live memory's terms, text and postings; leaves its record a tombstone. */
    private void releaseMemory(final TenantState t, final int index) {
        final String[] strings = new String[MemoryTable.STRINGS];
        final int[] conceptIds = memories.read(index, strings);
        if (conceptIds != null) {
            memoryTerms.remove(t, index);
        }
        memories.forget(index);
        if (conceptIds != null) {
            for (final int id : conceptIds) {
                if (graph.tenantOf(id) == t.id) {
                    graph.removeInt(id, ConceptLayout.MEM_ADDR, index);
                }
            }
        }
        t.liveMemories--;
    }

    /** Forgets a concept: its links, its compounds, its postings and its dictionary entries. */
    boolean forgetConcept(final TenantState t, final String key) {
        bulkTenant = null;
        resetIds();
        final int id = dictionary.get(t.id, key);
        if (id == StringIndex.MISSING) {
            return false;
        }
        while (graph.degree(id) > 0) {
            graph.removeLink(graph.linkAt(id, graph.degree(id) - 1));
            t.liveLinks--;
        }
        final int compoundCount = graph.intListSize(id, ConceptLayout.CMP_ADDR);
        for (int i = 0; i < compoundCount; i++) {
            final int rec = graph.intAt(id, ConceptLayout.CMP_ADDR, i);
            if (compounds.tenant(rec) != CompoundTable.DELETED) {
                for (int c = 0; c < compounds.componentCount(rec); c++) {
                    final int other = compounds.component(rec, c);
                    if (other != id) {
                        graph.removeInt(other, ConceptLayout.CMP_ADDR, rec);
                    }
                }
                compounds.delete(rec);
                t.liveCompounds--;
            }
        }
        dictionary.remove(t.id, key);
        words.remove(t.id, key, id);
        graph.markDeleted(id);
        t.concepts.removeInt(id);
        t.liveConcepts--;
        return true;
    }

    /**
     * Removes the tenant's links whose strength at {@code nowMillis} (undecayed unless {@code applyDecay}) is below
     * {@code threshold}.
     */
    PruneReport prune(
            final TenantState t,
            final EngineConfig config,
            final double threshold,
            final long nowMillis,
            final boolean applyDecay) {
        long examined = 0;
        long pruned = 0;
        double sumBefore = 0;
        double sumAfter = 0;
        final org.agrona.collections.IntArrayList doomed = new org.agrona.collections.IntArrayList();
        for (int i = 0; i < t.concepts.size(); i++) {
            final int id = t.concepts.getInt(i);
            final int degree = graph.degree(id);
            for (int pos = 0; pos < degree; pos++) {
                final int link = graph.linkAt(id, pos);
                if (graph.linkA(link) != id) {
                    continue; // each link once, from its lower endpoint
                }
                final double days = applyDecay ? Math.max(0, nowMillis - graph.linkLastSeen(link)) / 86_400_000.0 : 0.0;
                final double strength = config.strength(graph.linkCount(link), days);
                examined++;
                sumBefore += strength;
                if (strength < threshold) {
                    doomed.addInt(link);
                } else {
                    sumAfter += strength;
                }
            }
        }
        for (int i = 0; i < doomed.size(); i++) {
            graph.removeLink(doomed.getInt(i));
            pruned++;
            t.liveLinks--;
        }
        final long kept = examined - pruned;
        return new PruneReport(
                examined,
                pruned,
                examined == 0 ? 0 : sumBefore / examined,
                kept == 0 ? 0 : sumAfter / kept,
                threshold,
                applyDecay && config.timeDecayEnabled());
    }

    private void ensureIds(final int n) {
        if (ids.length < n) {
            ids = new int[Math.max(n, ids.length * 2)];
        }
    }
}
