package ai.continuum.engine.store;

import static ai.continuum.engine.store.LayoutCheck.field;

/**
 * One entry of a concept's adjacency block: a neighbour, the link joining them and the link's co-occurrence count.
 * Entries are kept in descending count order, so the strongest K neighbours are the first K entries (with time decay
 * off, strength is monotonic in count).
 *
 * <pre>
 *   0  int  neighbour   concept id
 *   4  int  link        link index (LinkLayout)
 *   8  int  count       co-occurrences; equal in both endpoints' entries
 * </pre>
 */
public final class AdjacencyLayout {
    public static final int ENTRY_BYTES = 12;
    public static final int NEIGHBOUR = 0;
    public static final int LINK = 4;
    public static final int COUNT = 8;

    static {
        LayoutCheck.check(
                "adjacency entry",
                ENTRY_BYTES,
                4,
                field("neighbour", NEIGHBOUR, 4),
                field("link", LINK, 4),
                field("count", COUNT, 4));
    }

    private AdjacencyLayout() {}

    /** Arena address of entry {@code pos} of the block at {@code blockAddr}. */
    public static long entry(final long blockAddr, final int pos) {
        return blockAddr + (long) pos * ENTRY_BYTES;
    }

    /** Bytes of {@code entries} entries. */
    public static int bytes(final int entries) {
        return entries * ENTRY_BYTES;
    }
}
