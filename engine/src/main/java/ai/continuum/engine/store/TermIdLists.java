package ai.continuum.engine.store;

import static ai.continuum.engine.store.LayoutCheck.field;

/**
 * Per document (a memory's index): the ids of its distinct indexed terms, the {@link WordIndex} records that list it.
 * The forward side of an inverted index: recall's linking step follows a memory's words by these ids, rather than
 * analysing the memory's text again and hashing each of its words into the index, and forgetting a memory removes it
 * from exactly the lists it is in.
 *
 * <pre>
 *  document record (24 bytes, by document index)
 *   0  int   version     sequence lock of the id list
 *   4  int   (unused)
 *   8  long  listAddr    IntLists header: term entries, in the order the document first says them
 *  16  int   listSize
 *  20  int   listCap
 * </pre>
 *
 * <p>An entry is a word record id with {@link #SAID_AS_NAME} set when the document says the word as a name at least
 * once (TermAnalyzer.forEachTerm): recall bridges over a memory's names by its entries, without reading its text.
 *
 * <p>Thread model: one writer sets a document's list once, when it is indexed, and clears it when it is forgotten;
 * readers copy a list under its sequence lock. A word record id, once given, never changes its word
 * ({@link WordIndex}), so an id read here stays the word it was.
 */
public final class TermIdLists {
    private static final int LIST = 8;
    private static final int RECORD_BYTES = 24;
    private static final int[] NONE = new int[0];

    static {
        LayoutCheck.check(
                "document terms record",
                RECORD_BYTES,
                8,
                field("version", 0, 4),
                field("listAddr", LIST, 8),
                field("listSize", ConceptLayout.listSize(LIST), 4),
                field("listCap", ConceptLayout.listCap(LIST), 4));
    }

    /** The bit of an entry that marks a word said as a name; word record ids are never negative. */
    private static final int SAID_AS_NAME = 0x8000_0000;

    private final OffHeapArena arena;
    private final RecordStore records = new RecordStore(RECORD_BYTES, 12);

    /** @param arena where the lists' values live; the owner's to release. */
    public TermIdLists(final OffHeapArena arena) {
        this.arena = arena;
    }

    /** The entry of word record {@code word}, said as a name in the document or not. */
    public static int entry(final int word, final boolean saidAsName) {
        return saidAsName ? word | SAID_AS_NAME : word;
    }

    /** The word record of an entry. */
    public static int word(final int entry) {
        return entry & ~SAID_AS_NAME;
    }

    /** Whether an entry's word is said as a name in the document. */
    public static boolean saidAsName(final int entry) {
        return (entry & SAID_AS_NAME) != 0;
    }

    /** Writer: the document's term entries are {@code ids[0, n)}, replacing any it had. */
    public void set(final int document, final int[] ids, final int n) {
        while (records.size() <= document) {
            records.add();
        }
        IntLists.set(records, arena, document, LIST, ids, n);
    }

    /** Writer: the document has no terms any more (it was forgotten). */
    public void clear(final int document) {
        if (document < records.size()) {
            IntLists.set(records, arena, document, LIST, NONE, 0);
        }
    }

    /** Any thread: how many term entries the document has (0 for one never indexed); it may change right after. */
    public int size(final int document) {
        return IntLists.sizeAcquire(records, document, LIST);
    }

    /**
     * Any thread: copies up to {@code out.length} of the document's term entries, the last said first.
     *
     * @return entries copied.
     */
    public int read(final int document, final int[] out) {
        return IntLists.readNewest(records, arena, document, LIST, out.length, out);
    }

    /** Returns the records' direct memory now; only when no thread reads them any more. */
    public void release() {
        records.release();
    }

    public long offHeapBytes() {
        return records.reservedBytes();
    }

    /** Writer: the records into an engine image (the lists are in the arena, which its owner writes). */
    public void writeTo(final ImageOutput out) {
        records.writeTo(out);
    }

    /** Writer: restores what {@link #writeTo} wrote into these empty lists. */
    public void readFrom(final ImageInput in) {
        records.readFrom(in);
    }
}
