package ai.continuum.engine;

/**
 * Reusable result holder for {@link MemoryEngine#resonate}: the activated concepts of one resonance, ranked. Keep one
 * per thread and reuse it; after its arrays have grown to the workload, resonance allocates nothing. Not thread-safe.
 */
public final class ResonanceCursor {
    final RecallScratch scratch;
    int ranked;
    MemoryEngine engine;

    ResonanceCursor(final RecallScratch scratch) {
        this.scratch = scratch;
    }

    /** Ranked concepts held (at most the limit passed to resonate). */
    public int size() {
        return ranked;
    }

    /** Activation of the concept at {@code rank} (0 = strongest). */
    public double activation(final int rank) {
        return scratch.activation[slot(rank)];
    }

    /** Hops from the nearest seed. */
    public int depth(final int rank) {
        return scratch.depth[slot(rank)];
    }

    /** Display name of the concept at {@code rank}; allocates. */
    public String name(final int rank) {
        return engine.displayName(scratch.concept[slot(rank)]);
    }

    private int slot(final int rank) {
        if (rank < 0 || rank >= ranked) {
            throw new IndexOutOfBoundsException("rank=" + rank + " of " + ranked);
        }
        return scratch.ranked[rank];
    }
}
