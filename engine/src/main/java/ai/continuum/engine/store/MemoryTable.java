package ai.continuum.engine.store;

import static ai.continuum.engine.store.LayoutCheck.field;

import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Stored turns (memories) and the decisions found in them, off the Java heap.
 *
 * <pre>
 *  memory record (48 bytes, by memory index)
 *   0  int   tenant
 *   4  int   state       LIVE or FORGOTTEN (a tombstone: the id stays taken, a replayed delta cannot revive it)
 *   8  long  id          the caller's memory id, unique per tenant
 *  16  long  timeMillis
 *  24  long  blobAddr    TextBlob: session, user, ai, thinking, metadata, then concept ids
 *  32  int   blobBytes
 *  36  int   terms       analysed terms of the text, repeats included (length normalisation)
 *  40  int   previous    index + 1 of the memory that arrived before it in the same session, 0 for none
 *  44  int   next        index + 1 of the memory that arrived after it in the same session, 0 for none
 *
 *  decision record (32 bytes, by decision index)
 *   0  int   tenant      or FORGOTTEN_TENANT once its memory is forgotten
 *   4  int   ordinal     position among the memory's decisions
 *   8  long  memoryId
 *  16  long  timeMillis
 *  24  long  textAddr    TextBlob with one string
 * </pre>
 *
 * <p>The term count is also kept in a dense column beside the records ({@link ShortColumn}, by the same index, 32
 * to a cache line), which {@link #terms} reads: recall's lexical scoring needs it for every posting of every
 * query word (BM25's length normalisation), and reading it from each 48-byte record cost a cache line per posting
 * (RESULTS.md, "Term counts in a column"). Invariant: the column holds {@code min(terms, ShortColumn.MAX)}. The
 * record stays the count's source, for images (the column is rebuilt from it, not stored) and for the rare memory of
 * more terms than two bytes hold. (The time in a column too was measured and not kept: it made recall slower on
 * unique names, RESULTS.md.)
 *
 * <p>Thread model: the writer adds and forgets; the term count alone is written later, by the term index's writer
 * ({@link #setTerms}), once the memory's terms are indexed. Readers find memories through concept postings or
 * {@link #find}; a reader decodes the blob, then re-reads {@code state}: forgetting sets FORGOTTEN before it erases
 * the blob, so a reader that still sees LIVE afterwards decoded intact text.
 */
public final class MemoryTable {
    public static final int LIVE = 1;
    public static final int FORGOTTEN = 2;
    static final int TENANT = 0;
    static final int STATE = 4;
    static final int ID = 8;
    static final int TIME = 16;
    static final int BLOB = 24;
    static final int BLOB_BYTES = 32;
    static final int TERMS = 36;
    static final int PREVIOUS = 40;
    static final int NEXT = 44;
    static final int RECORD_BYTES = 48;

    static final int D_TENANT = 0;
    static final int D_ORDINAL = 4;
    static final int D_MEMORY = 8;
    static final int D_TIME = 16;
    static final int D_TEXT = 24;
    static final int D_RECORD_BYTES = 32;
    public static final int FORGOTTEN_TENANT = -1;
    /** Bytes of each end of a long text that {@link #textFingerprint} reads. */
    private static final int FINGERPRINT_END_BYTES = 16;

    static {
        LayoutCheck.check(
                "memory record",
                RECORD_BYTES,
                8,
                field("tenant", TENANT, 4),
                field("state", STATE, 4),
                field("id", ID, 8),
                field("timeMillis", TIME, 8),
                field("blobAddr", BLOB, 8),
                field("blobBytes", BLOB_BYTES, 4),
                field("terms", TERMS, 4),
                field("previous", PREVIOUS, 4),
                field("next", NEXT, 4));
        LayoutCheck.check(
                "decision record",
                D_RECORD_BYTES,
                8,
                field("tenant", D_TENANT, 4),
                field("ordinal", D_ORDINAL, 4),
                field("memoryId", D_MEMORY, 8),
                field("timeMillis", D_TIME, 8),
                field("textAddr", D_TEXT, 8));
    }

    /** Strings in a memory blob, in order: session id, user text, assistant text, thinking, metadata. */
    public static final int STRINGS = 5;
    /** Decodes none of a memory's strings: they are skipped ({@link #readConcepts}). */
    private static final TextChars[] NO_TEXTS = new TextChars[STRINGS];
    /** Position of the session id among a memory's strings. */
    public static final int SESSION_ID = 0;
    /** Position of the user's text among a memory's strings. */
    public static final int USER_TEXT = 1;
    /** Position of the assistant's text among a memory's strings. */
    public static final int AI_TEXT = 2;
    /** Position of the thinking text among a memory's strings. */
    public static final int THINKING = 3;
    /** Position of the metadata among a memory's strings. */
    public static final int METADATA = 4;

    private static final int MEMORY_CHUNK_SHIFT = 14;

    private final OffHeapArena arena;
    private final RecordStore memories = new RecordStore(RECORD_BYTES, MEMORY_CHUNK_SHIFT);
    /** Each memory's term count, at most {@link ShortColumn#MAX}: see the class comment. */
    private final ShortColumn termCounts = new ShortColumn(MEMORY_CHUNK_SHIFT);

    private final RecordStore decisions = new RecordStore(D_RECORD_BYTES, 12);
    private final IndexHashTable byId;
    private final IndexHashTable decisionsByKey;

    public MemoryTable(final OffHeapArena arena, final int expectedMemories) {
        this.arena = arena;
        this.byId = new IndexHashTable(expectedMemories, this::memoryHash);
        this.decisionsByKey = new IndexHashTable(1024, this::decisionHash);
    }

    /** Any thread: the index of memory {@code id} of {@code tenant} (live or forgotten), or -1. */
    public int find(final int tenant, final long id) {
        return byId.find(hash(tenant, id), index -> {
            final UnsafeBuffer b = memories.buffer(index);
            final int o = memories.offset(index);
            return b.getLong(o + ID) == id && b.getInt(o + TENANT) == tenant;
        });
    }

    /** Writer: stores a memory whose id is absent. */
    public int add(
            final int tenant,
            final long id,
            final long timeMillis,
            final byte[][] strings,
            final int[] conceptIds,
            final int conceptCount) {
        final long blob = TextBlob.write(arena, strings, conceptIds, conceptCount);
        final int index = addRecord();
        final UnsafeBuffer b = memories.buffer(index);
        final int o = memories.offset(index);
        b.putInt(o + TENANT, tenant);
        b.putLong(o + ID, id);
        b.putLong(o + TIME, timeMillis);
        b.putLong(o + BLOB, blob);
        b.putInt(o + BLOB_BYTES, TextBlob.sizeOf(strings, conceptCount));
        b.putIntRelease(o + STATE, LIVE);
        byId.put(hash(tenant, id), index);
        return index;
    }

    /** Writer: a zeroed memory record and its place in the term column, before its index is published. */
    private int addRecord() {
        final int index = memories.add();
        termCounts.ensure(index);
        return index;
    }

    /** Writer: turns a live memory into a tombstone and erases its text. */
    public void forget(final int index) {
        final UnsafeBuffer b = memories.buffer(index);
        final int o = memories.offset(index);
        if (b.getInt(o + STATE) != LIVE) {
            return;
        }
        b.putIntVolatile(o + STATE, FORGOTTEN);
        TextBlob.erase(arena, b.getLong(o + BLOB), b.getInt(o + BLOB_BYTES));
        b.putLong(o + BLOB, 0);
        b.putInt(o + BLOB_BYTES, 0);
    }

    /** Writer: adds a tombstone for a memory never seen, so a later delta carrying it is ignored. */
    public int addTombstone(final int tenant, final long id) {
        final int index = addRecord();
        final UnsafeBuffer b = memories.buffer(index);
        final int o = memories.offset(index);
        b.putInt(o + TENANT, tenant);
        b.putLong(o + ID, id);
        b.putIntRelease(o + STATE, FORGOTTEN);
        byId.put(hash(tenant, id), index);
        return index;
    }

    public int state(final int index) {
        return memories.buffer(index).getIntAcquire(memories.offset(index) + STATE);
    }

    public int tenant(final int index) {
        return memories.buffer(index).getInt(memories.offset(index) + TENANT);
    }

    public long id(final int index) {
        return memories.buffer(index).getLong(memories.offset(index) + ID);
    }

    /** Writer: records that {@code later} arrived right after {@code earlier} in their session. */
    public void chain(final int earlier, final int later) {
        memories.buffer(later).putIntRelease(memories.offset(later) + PREVIOUS, earlier + 1);
        memories.buffer(earlier).putIntRelease(memories.offset(earlier) + NEXT, later + 1);
    }

    /** Any thread: the memory before {@code index} in its session, or -1. */
    public int previous(final int index) {
        return memories.buffer(index).getIntAcquire(memories.offset(index) + PREVIOUS) - 1;
    }

    /** Any thread: the memory after {@code index} in its session, or -1. */
    public int next(final int index) {
        return memories.buffer(index).getIntAcquire(memories.offset(index) + NEXT) - 1;
    }

    /** Any thread: the memory's analysed terms, repeats included; 0 until its terms are indexed. */
    public int terms(final int index) {
        final int counted = termCounts.get(index);
        return counted < ShortColumn.MAX ? counted : recordedTerms(index);
    }

    private int recordedTerms(final int index) {
        return memories.buffer(index).getIntAcquire(memories.offset(index) + TERMS);
    }

    /** The term index's writer only (not the engine's writer): records how many terms the memory was indexed under. */
    public void setTerms(final int index, final int terms) {
        memories.buffer(index).putIntRelease(memories.offset(index) + TERMS, terms);
        termCounts.set(index, Math.min(terms, ShortColumn.MAX));
    }

    public long timeMillis(final int index) {
        return memories.buffer(index).getLong(memories.offset(index) + TIME);
    }

    /** Whether {@code index} names a stored record (readers validate indexes read from postings). */
    public boolean exists(final int index) {
        return memories.exists(index);
    }

    /**
     * Any thread: decodes the memory's strings into {@code strings} (length {@link #STRINGS}) and returns its concept
     * ids, or null when it is (or became, while decoding) forgotten.
     */
    public int[] read(final int index, final String[] strings) {
        return read(index, strings, new DecodeBuffer(0));
    }

    /** As {@link #read(int, String[])}, copying the text through {@code buffer} (a reader's own). */
    public int[] read(final int index, final String[] strings, final DecodeBuffer buffer) {
        final long after = readStrings(index, strings, buffer);
        if (after == NOT_READ) {
            return null;
        }
        try {
            final int[] ids = TextBlob.readInts(arena, after);
            return state(index) == LIVE ? ids : null;
        } catch (final IllegalStateException | IndexOutOfBoundsException raced) {
            return null; // the blob was erased under us: the memory is being forgotten
        }
    }

    /**
     * Any thread: the memory's concept ids into {@code conceptIds} (cleared first), its text skipped (what recall's
     * link step follows); false when it is (or became, while reading) forgotten.
     */
    public boolean readConcepts(final int index, final IntArrayList conceptIds) {
        conceptIds.clear();
        final long after = readChars(index, NO_TEXTS, null);
        if (after == NOT_READ) {
            return false;
        }
        try {
            TextBlob.readInts(arena, after, conceptIds);
            return state(index) == LIVE;
        } catch (final IllegalStateException | IndexOutOfBoundsException raced) {
            conceptIds.clear();
            return false; // the blob was erased under us: the memory is being forgotten
        }
    }

    /**
     * Any thread: decodes the memory's strings {@code i} into {@code texts[i]} where that is not null (length
     * {@link #STRINGS}; what recall returns), without its concept ids; false when it is (or became, while decoding)
     * forgotten.
     */
    public boolean readText(final int index, final TextChars[] texts, final DecodeBuffer buffer) {
        return readChars(index, texts, buffer) != NOT_READ && state(index) == LIVE;
    }

    /** Decodes the strings of a live memory into {@code texts}; returns the blob address after them, or {@link #NOT_READ}. */
    private long readChars(final int index, final TextChars[] texts, final DecodeBuffer buffer) {
        if (!memories.exists(index) || state(index) != LIVE) {
            return NOT_READ;
        }
        try {
            final long blob = memories.buffer(index).getLong(memories.offset(index) + BLOB);
            return TextBlob.readChars(arena, blob, STRINGS, texts, buffer);
        } catch (final IllegalStateException | IndexOutOfBoundsException raced) {
            return NOT_READ; // the blob was erased under us: the memory is being forgotten
        }
    }

    /**
     * Any thread: decodes the memory's strings as {@link #read(int, String[], DecodeBuffer)} does, without its concept
     * ids; false when it is (or became, while decoding) forgotten.
     */
    public boolean readText(final int index, final String[] strings, final DecodeBuffer buffer) {
        return readStrings(index, strings, buffer) != NOT_READ && state(index) == LIVE;
    }

    /** {@link #readStrings}' answer for a memory forgotten before or while its strings were decoded. */
    private static final long NOT_READ = -1L;

    /** Decodes the strings of a live memory; returns the blob address after them, or {@link #NOT_READ}. */
    private long readStrings(final int index, final String[] strings, final DecodeBuffer buffer) {
        if (!memories.exists(index) || state(index) != LIVE) {
            return NOT_READ;
        }
        try {
            final long blob = memories.buffer(index).getLong(memories.offset(index) + BLOB);
            return TextBlob.readStrings(arena, blob, strings, STRINGS, buffer);
        } catch (final IllegalStateException | IndexOutOfBoundsException raced) {
            return NOT_READ; // the blob was erased under us: the memory is being forgotten
        }
    }

    /**
     * Any thread: whether the memory ends with a question (its assistant text, or its user text when the assistant's
     * is empty, ends with '?'). Read in place, without decoding; false when it is forgotten.
     */
    public boolean endsWithQuestion(final int index) {
        if (!memories.exists(index) || state(index) != LIVE) {
            return false;
        }
        final long blob = memories.buffer(index).getLong(memories.offset(index) + BLOB);
        if (!arena.isValid(blob, 4)) {
            return false;
        }
        long at = blob + 4 + arena.getInt(blob); // skip the session id
        byte last = 0;
        for (int s = USER_TEXT; s <= AI_TEXT; s++) {
            if (!arena.isValid(at, 4)) {
                return false;
            }
            final int len = arena.getInt(at);
            if (len < 0 || !arena.isValid(at + 4, len)) {
                return false;
            }
            final UnsafeBuffer b = arena.buffer(at + 4);
            final int o = OffHeapArena.offset(at + 4);
            for (int i = len - 1; i >= 0; i--) {
                final byte c = b.getByte(o + i);
                if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
                    last = c;
                    break;
                }
            }
            at += 4 + len;
        }
        return last == '?' && state(index) == LIVE;
    }

    /**
     * Any thread: a 64-bit digest of a live memory's user and assistant texts, so that many memories can be compared
     * pairwise by a number each: two memories {@link #sameText} finds equal have equal fingerprints (unequal ones
     * prove the texts differ; equal ones are confirmed with {@code sameText}). 0 when the memory is forgotten or its
     * blob is being erased, which {@code sameText} never matches either. Reads each text's length and, of a long text,
     * only its first and last {@code FINGERPRINT_END_BYTES}.
     */
    public long textFingerprint(final int index) {
        if (!memories.exists(index) || state(index) != LIVE) {
            return 0;
        }
        final long blob = memories.buffer(index).getLong(memories.offset(index) + BLOB);
        if (!arena.isValid(blob, 4)) {
            return 0;
        }
        long at = blob + 4 + arena.getInt(blob); // skip the session id
        long h = 0x243F6A8885A308D3L;
        for (int s = USER_TEXT; s <= AI_TEXT; s++) {
            if (!arena.isValid(at, 4)) {
                return 0;
            }
            final int len = arena.getInt(at);
            if (len < 0 || !arena.isValid(at + 4, len)) {
                return 0;
            }
            final UnsafeBuffer b = arena.buffer(at + 4);
            final int o = OffHeapArena.offset(at + 4);
            h = mix(h, len);
            if (len >= 2 * FINGERPRINT_END_BYTES) {
                // the ends of a long text and its length: enough to tell different turns apart, and a few reads
                for (int i = 0; i < FINGERPRINT_END_BYTES; i += Long.BYTES) {
                    h = mix(mix(h, b.getLong(o + i)), b.getLong(o + len - FINGERPRINT_END_BYTES + i));
                }
            } else {
                long word = 0;
                for (int i = 0; i < len; i++) {
                    word = word << 8 | (b.getByte(o + i) & 0xFF);
                    if ((i & (Long.BYTES - 1)) == Long.BYTES - 1) {
                        h = mix(h, word);
                        word = 0;
                    }
                }
                h = mix(h, word);
            }
            at += 4 + len;
        }
        // 0 means "matches nothing": a live memory whose digest happens to be 0 takes 1 instead
        return state(index) != LIVE ? 0 : h == 0 ? 1 : h;
    }

    private static long mix(final long h, final long word) {
        return Long.rotateLeft((h ^ word) * 0x9E3779B97F4A7C15L, 29);
    }

    /**
     * Any thread: whether two live memories say the same words, user and assistant text byte for byte (their sessions,
     * times and metadata may differ). Compares in place, without decoding; false when either is forgotten or its
     * blob is being erased.
     */
    public boolean sameText(final int a, final int b) {
        if (!memories.exists(a)
                || !memories.exists(b)
                || state(a) != LIVE
                || state(b) != LIVE
                || terms(a) != terms(b)) {
            return false;
        }
        final long blobA = memories.buffer(a).getLong(memories.offset(a) + BLOB);
        final long blobB = memories.buffer(b).getLong(memories.offset(b) + BLOB);
        final int bytesA = memories.buffer(a).getInt(memories.offset(a) + BLOB_BYTES);
        if (bytesA <= 0 || !arena.isValid(blobA, bytesA) || !arena.isValid(blobB, 4)) {
            return false;
        }
        long at = blobA + 4 + arena.getInt(blobA); // skip the session id
        long bt = blobB + 4 + arena.getInt(blobB);
        for (int s = USER_TEXT; s <= AI_TEXT; s++) {
            if (!arena.isValid(at, 4) || !arena.isValid(bt, 4)) {
                return false;
            }
            final int len = arena.getInt(at);
            if (len != arena.getInt(bt) || len < 0 || !arena.isValid(at + 4, len) || !arena.isValid(bt + 4, len)) {
                return false;
            }
            final UnsafeBuffer x = arena.buffer(at + 4);
            final UnsafeBuffer y = arena.buffer(bt + 4);
            final int xo = OffHeapArena.offset(at + 4);
            final int yo = OffHeapArena.offset(bt + 4);
            for (int i = 0; i < len; i++) {
                if (x.getByte(xo + i) != y.getByte(yo + i)) {
                    return false;
                }
            }
            at += 4 + len;
            bt += 4 + len;
        }
        return state(a) == LIVE && state(b) == LIVE;
    }

    // ---------------------------------------------------------------- decisions

    /** Writer: index of decision (tenant, memoryId, ordinal), or -1. */
    public int findDecision(final int tenant, final long memoryId, final int ordinal) {
        return decisionsByKey.find(decisionHash(tenant, memoryId, ordinal), index -> {
            final UnsafeBuffer b = decisions.buffer(index);
            final int o = decisions.offset(index);
            return b.getLong(o + D_MEMORY) == memoryId
                    && b.getInt(o + D_ORDINAL) == ordinal
                    && b.getInt(o + D_TENANT) == tenant;
        });
    }

    /** Writer. */
    public int addDecision(
            final int tenant, final long memoryId, final int ordinal, final String text, final long timeMillis) {
        final long blob = TextBlob.write(arena, new byte[][] {TextBlob.utf8(text)}, new int[0], 0);
        final int index = decisions.add();
        final UnsafeBuffer b = decisions.buffer(index);
        final int o = decisions.offset(index);
        b.putInt(o + D_ORDINAL, ordinal);
        b.putLong(o + D_MEMORY, memoryId);
        b.putLong(o + D_TIME, timeMillis);
        b.putLong(o + D_TEXT, blob);
        b.putIntRelease(o + D_TENANT, tenant);
        decisionsByKey.put(decisionHash(tenant, memoryId, ordinal), index);
        return index;
    }

    /** Writer: removes a decision (its memory was forgotten). */
    public void forgetDecision(final int index) {
        final UnsafeBuffer b = decisions.buffer(index);
        final int o = decisions.offset(index);
        final int tenant = b.getInt(o + D_TENANT);
        if (tenant == FORGOTTEN_TENANT) {
            return;
        }
        decisionsByKey.remove(decisionHash(index), index);
        b.putIntVolatile(o + D_TENANT, FORGOTTEN_TENANT);
        final long text = b.getLong(o + D_TEXT);
        TextBlob.erase(arena, text, TextBlob.sizeOf(new byte[][] {new byte[arena.getInt(text)]}, 0));
    }

    public boolean decisionLive(final int index) {
        return decisions.buffer(index).getIntAcquire(decisions.offset(index) + D_TENANT) != FORGOTTEN_TENANT;
    }

    public long decisionMemoryId(final int index) {
        return decisions.buffer(index).getLong(decisions.offset(index) + D_MEMORY);
    }

    public int decisionOrdinal(final int index) {
        return decisions.buffer(index).getInt(decisions.offset(index) + D_ORDINAL);
    }

    public long decisionTime(final int index) {
        return decisions.buffer(index).getLong(decisions.offset(index) + D_TIME);
    }

    public String decisionText(final int index) {
        final String[] out = new String[1];
        TextBlob.readStrings(
                arena, decisions.buffer(index).getLong(decisions.offset(index) + D_TEXT), out, 1, new DecodeBuffer(0));
        return out[0];
    }

    /**
     * Returns the direct memory of this structure's own records and hash tables now (the arena it was given is its
     * owner's to release). Only when no thread reads it any more.
     */
    public void release() {
        memories.release();
        termCounts.release();
        decisions.release();
        byId.release();
        decisionsByKey.release();
    }

    public long reservedBytes() {
        return memories.reservedBytes()
                + termCounts.reservedBytes()
                + decisions.reservedBytes()
                + byId.reservedBytes()
                + decisionsByKey.reservedBytes();
    }

    /** Writer: memories, decisions and their tables into an engine image (texts are in the arena). */
    public void writeTo(final ImageOutput out) {
        memories.writeTo(out);
        decisions.writeTo(out);
        byId.writeTo(out);
        decisionsByKey.writeTo(out);
    }

    /** Writer: restores what {@link #writeTo} wrote into this empty table. */
    public void readFrom(final ImageInput in) {
        memories.readFrom(in);
        // the column is rebuilt from the records, not read from the image
        if (memories.size() > 0) {
            termCounts.ensure(memories.size() - 1);
        }
        for (int index = 0; index < memories.size(); index++) {
            termCounts.set(index, Math.min(recordedTerms(index), ShortColumn.MAX));
        }
        decisions.readFrom(in);
        byId.readFrom(in);
        decisionsByKey.readFrom(in);
    }

    private int memoryHash(final int index) {
        return hash(tenant(index), id(index));
    }

    private int decisionHash(final int index) {
        final UnsafeBuffer b = decisions.buffer(index);
        final int o = decisions.offset(index);
        return decisionHash(b.getInt(o + D_TENANT), b.getLong(o + D_MEMORY), b.getInt(o + D_ORDINAL));
    }

    private static int hash(final int tenant, final long id) {
        return Long.hashCode(id * 0x9E3779B97F4A7C15L) * 31 + tenant;
    }

    private static int decisionHash(final int tenant, final long memoryId, final int ordinal) {
        return hash(tenant, memoryId) * 31 + ordinal;
    }
}
