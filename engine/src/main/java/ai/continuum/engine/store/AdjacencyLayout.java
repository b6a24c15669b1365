package ai.continuum.engine.store;

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

    private AdjacencyLayout() {
    }
}
