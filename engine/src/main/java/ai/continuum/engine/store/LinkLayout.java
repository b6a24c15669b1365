package ai.continuum.engine.store;

import static ai.continuum.engine.store.LayoutCheck.field;

/**
 * A link record in a {@link RecordStore}, indexed by link index: the unordered pair (a &lt; b by concept id), where
 * each endpoint's adjacency entry for it sits, and when it was last seen. The count lives in the two adjacency
 * entries, where recall reads it. {@link LinkRecord} is the writer's flyweight over it.
 *
 * <pre>
 *   0  int   a          lower concept id, or DELETED
 *   4  int   b          higher concept id
 *   8  int   posA       index of this link's entry in a's adjacency block
 *  12  int   posB       index in b's block
 *  16  long  lastSeenMillis
 * </pre>
 * Written by the writer only; {@code lastSeenMillis} is read by recall when time decay is on.
 */
public final class LinkLayout {
    public static final int RECORD_BYTES = 24;
    public static final int A = 0;
    public static final int B = 4;
    public static final int POS_A = 8;
    public static final int POS_B = 12;
    public static final int LAST_SEEN = 16;
    /** {@code a} of a removed link; its index is never reused, so a stale adjacency copy can never alias it. */
    public static final int DELETED = -1;

    static {
        LayoutCheck.check(
                "link record",
                RECORD_BYTES,
                8,
                field("a", A, 4),
                field("b", B, 4),
                field("posA", POS_A, 4),
                field("posB", POS_B, 4),
                field("lastSeenMillis", LAST_SEEN, 8));
    }

    private LinkLayout() {}
}
