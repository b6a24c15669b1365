package ai.continuum.engine;

import org.agrona.collections.IntArrayList;

/**
 * What the engine keeps per tenant on the heap: its dense id, its name, and the ids of everything it owns, so that
 * per-tenant operations (stats, snapshot, checksum, listing) never scan other tenants. A few small arrays: thousands
 * of tenants cost no fixed megabytes each.
 *
 * <p>Thread model: the lists and counters are changed by the writer only, under the engine's write lock; readers use
 * the volatile counters, and {@link MemoryEngine} takes the write lock for operations that walk the lists.
 */
final class TenantState {
    final int id;
    final String name;
    /** Concept ids in creation order; deleted ones are removed. */
    final IntArrayList concepts = new IntArrayList();
    /** Memory indexes (live and tombstones) in creation order. */
    final IntArrayList memories = new IntArrayList();

    final IntArrayList compounds = new IntArrayList();
    final IntArrayList decisions = new IntArrayList();
    /** Written by the writer, read by any thread (stats). */
    volatile long liveConcepts;

    volatile long liveLinks;
    volatile long liveMemories;
    volatile long liveCompounds;
    volatile long liveDecisions;
    /** Analysed terms over all live memories, for the average memory length of lexical scoring. */
    volatile long memoryTerms;
    /** Session id -> index of its latest memory, to chain session neighbours. Writer only. */
    final java.util.Map<String, Integer> lastMemoryOfSession = new java.util.HashMap<>();

    TenantState(final int id, final String name) {
        this.id = id;
        this.name = name;
    }

    TenantStats stats() {
        return new TenantStats(liveConcepts, liveLinks, liveCompounds, liveMemories, liveDecisions);
    }
}
