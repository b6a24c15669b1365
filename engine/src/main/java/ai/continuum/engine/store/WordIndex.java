package ai.continuum.engine.store;

import static ai.continuum.engine.store.LayoutCheck.field;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Word -> ids, per tenant: an inverted index off the Java heap. The engine keeps two: concept-key words -> concepts
 * (partial matching at recall without scanning all concepts; words from {@link #forEachWord}: runs of letters and
 * digits, at least {@link #MIN_WORD_CHARS} long) and memory terms -> memories (lexical evidence for ranking).
 *
 * <p>Words are found through an {@link IndexHashTable} over word records rather than a Chronicle Map: learning a
 * memory touches some twenty terms, and a probe here costs a fraction of a map lookup.
 *
 * <pre>
 *  word record (32 bytes, by word index)
 *   0  int   version     sequence lock of the id list
 *   4  int   tenant
 *   8  long  listAddr    IntLists header: ids, oldest first
 *  16  int   listSize
 *  20  int   listCap
 *  24  long  word        the word itself when it is 1-7 chars each below 256: bit 63 set, its length in bits
 *                        56-62, char i in bits 8i..8i+7 (INLINE); else the address of an arena block: int header,
 *                        then the chars, one byte each when all are below 256 (header: length | LATIN1), else two
 *                        (header: length)
 * </pre>
 *
 * <p>Most words are short and one byte a char: such a word costs no block at all, and a longer one a block about half
 * the size of its UTF-16 form (benchmarks/RESULTS.md, "Short lists inside their header, and short words inside their
 * record").
 *
 * <p>Thread model: the writer adds and removes; readers call {@link #find} and {@link #read}. A word record, once
 * published in the hash table, never changes its tenant or word.
 */
public final class WordIndex {
    public static final int MIN_WORD_CHARS = 3;
    private static final int TENANT = 4;
    private static final int LIST = 8;
    private static final int WORD = 24;
    private static final int RECORD_BYTES = 32;
    /** The word field's tag: set, the field is the word itself; clear, a block address (always below 2^40). */
    private static final long INLINE = Long.MIN_VALUE;
    /** Chars an inline word holds: the field's 7 low bytes. */
    private static final int INLINE_MAX_CHARS = 7;
    /** A word block's header bit: its chars are stored one byte each. Words are far shorter than 2^30 chars. */
    private static final int LATIN1 = 1 << 30;

    private static final int LENGTH_MASK = LATIN1 - 1;

    static {
        LayoutCheck.check(
                "word record",
                RECORD_BYTES,
                8,
                field("version", 0, 4),
                field("tenant", TENANT, 4),
                field("listAddr", LIST, 8),
                field("listSize", ConceptLayout.listSize(LIST), 4),
                field("listCap", ConceptLayout.listCap(LIST), 4),
                field("word", WORD, 8));
    }

    private final OffHeapArena arena;
    private final RecordStore records = new RecordStore(RECORD_BYTES, 14);
    private final IndexHashTable table;

    public WordIndex(final OffHeapArena arena, final long expectedWords) {
        this.arena = arena;
        this.table = new IndexHashTable((int) Math.min(Integer.MAX_VALUE / 4, expectedWords), this::recordHash);
    }

    /** A reader's reusable probe; one per thread. */
    public static final class Probe implements IndexHashTable.Matcher {
        private WordIndex index;
        private int tenant;
        private CharSequence word;
        private int from;
        private int to;

        @Override
        public boolean matches(final int rec) {
            return index.matches(rec, tenant, word, from, to);
        }
    }

    /** Writer: adds {@code id} to the list of {@code word}. */
    public void addWord(final int tenant, final CharSequence word, final int id) {
        addWord(tenant, word, 0, word.length(), id);
    }

    private void addWord(final int tenant, final CharSequence text, final int from, final int to, final int id) {
        addWord(tenant, text, from, to, id, find(tenant, text, from, to, writerProbe));
    }

    /** {@link #addWord(int, CharSequence, int, int, int)} with the word's record already looked up. */
    private int addWord(
            final int tenant, final CharSequence text, final int from, final int to, final int id, final int found) {
        int rec = found;
        if (rec == IndexHashTable.MISSING) {
            rec = records.add();
            final long word = writeWord(text, from, to);
            final UnsafeBuffer b = records.buffer(rec);
            final int o = records.offset(rec);
            b.putInt(o + TENANT, tenant);
            b.putLongRelease(o + WORD, word);
            table.put(hash(tenant, text, from, to), rec);
        }
        IntLists.append(records, arena, rec, LIST, id);
        return rec;
    }

    /**
     * Writer: the word field of text[from, to): the word itself when it fits the field, else a new arena block holding
     * it, one byte a char when every char fits one.
     */
    private long writeWord(final CharSequence text, final int from, final int to) {
        final int length = to - from;
        boolean latin1 = true;
        for (int i = from; i < to && latin1; i++) {
            latin1 = text.charAt(i) < 256;
        }
        if (latin1 && length <= INLINE_MAX_CHARS) {
            long word = INLINE | ((long) length << 56);
            for (int i = 0; i < length; i++) {
                word |= (long) text.charAt(from + i) << (8 * i);
            }
            return word;
        }
        final long addr = arena.allocate(4 + (latin1 ? length : 2 * length));
        arena.putInt(addr, latin1 ? length | LATIN1 : length);
        final UnsafeBuffer block = arena.buffer(addr);
        final int offset = OffHeapArena.offset(addr) + 4;
        for (int i = 0; i < length; i++) {
            if (latin1) {
                block.putByte(offset + i, (byte) text.charAt(from + i));
            } else {
                block.putChar(offset + 2 * i, text.charAt(from + i));
            }
        }
        return addr;
    }

    private static int inlineLength(final long word) {
        return (int) (word >>> 56) & 0x7F;
    }

    private static char inlineChar(final long word, final int i) {
        return (char) ((word >>> (8 * i)) & 0xFF);
    }

    /** The {@code i}-th char of the word block at {@code addr} whose header is {@code header}. */
    private static char wordChar(final UnsafeBuffer block, final int offset, final int header, final int i) {
        return (header & LATIN1) != 0 ? (char) (block.getByte(offset + i) & 0xFF) : block.getChar(offset + 2 * i);
    }

    /**
     * Writer: adds {@code id} to the list of the word text[from, to) unless it is already that list's newest id. A
     * document's ids only grow, so adding each of its terms, repeats included, this way lists the document once per
     * distinct term without collecting the distinct terms first.
     *
     * @return the word's record if {@code id} was added to its list, {@link IndexHashTable#MISSING} for a repeat.
     */
    public int addWordOnce(final int tenant, final CharSequence text, final int from, final int to, final int id) {
        final int rec = find(tenant, text, from, to, writerProbe);
        if (rec != IndexHashTable.MISSING) {
            final int size = IntLists.size(records, rec, LIST);
            if (size > 0 && IntLists.get(records, arena, rec, LIST, size - 1) == id) {
                return IndexHashTable.MISSING;
            }
        }
        return addWord(tenant, text, from, to, id, rec);
    }

    /** Writer: removes {@code id} from list {@code rec} (a record {@link #addWordOnce} returned). */
    public void removeFromList(final int rec, final int id) {
        IntLists.remove(records, arena, rec, LIST, id);
    }

    /** Writer: indexes concept {@code id} under every word of {@code key}. */
    public void add(final int tenant, final String key, final int id) {
        forEachWord(key, (start, end) -> addWord(tenant, key, start, end, id));
    }

    /** Writer: removes concept {@code id} from every word of {@code key}. */
    public void remove(final int tenant, final String key, final int id) {
        forEachWord(key, (start, end) -> {
            final int rec = find(tenant, key, start, end, writerProbe);
            if (rec != IndexHashTable.MISSING) {
                IntLists.remove(records, arena, rec, LIST, id);
            }
        });
    }

    public Probe newProbe() {
        final Probe probe = new Probe();
        probe.index = this;
        return probe;
    }

    /** Any thread: the word's list index, or {@link IndexHashTable#MISSING}. */
    public int find(final int tenant, final CharSequence word, final Probe probe) {
        return find(tenant, word, 0, word.length(), probe);
    }

    /** Any thread: the list index of the word text[from, to), or {@link IndexHashTable#MISSING}. */
    public int find(final int tenant, final CharSequence text, final int from, final int to, final Probe probe) {
        probe.tenant = tenant;
        probe.word = text;
        probe.from = from;
        probe.to = to;
        return table.find(hash(tenant, text, from, to), probe);
    }

    /** Any thread: up to {@code max} ids of word list {@code rec}, newest first. */
    public int read(final int rec, final int max, final int[] out) {
        return IntLists.readNewest(records, arena, rec, LIST, max, out);
    }

    /** Any thread: ids in list {@code rec} (e.g. a term's document frequency). */
    public int size(final int rec) {
        return IntLists.sizeAcquire(records, rec, LIST);
    }

    /**
     * Returns the direct memory of this structure's own records and hash tables now (the arena it was given is its
     * owner's to release). Only when no thread reads it any more.
     */
    public void release() {
        records.release();
        table.release();
    }

    public long offHeapBytes() {
        return records.reservedBytes() + table.reservedBytes();
    }

    /** Writer: the word records and their table into an engine image (lists and words are in the arena). */
    public void writeTo(final ImageOutput out) {
        records.writeTo(out);
        table.writeTo(out);
    }

    /** Writer: restores what {@link #writeTo} wrote into this empty index. */
    public void readFrom(final ImageInput in) {
        records.readFrom(in);
        table.readFrom(in);
    }

    /** Writer only. */
    private final Probe writerProbe = newProbe();

    private boolean matches(final int rec, final int tenant, final CharSequence text, final int from, final int to) {
        final UnsafeBuffer b = records.buffer(rec);
        final int o = records.offset(rec);
        if (b.getInt(o + TENANT) != tenant) {
            return false;
        }
        final long addr = b.getLongAcquire(o + WORD);
        final int length = to - from;
        if (addr == 0) {
            return false;
        }
        if (addr < 0) {
            if (inlineLength(addr) != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (inlineChar(addr, i) != text.charAt(from + i)) {
                    return false;
                }
            }
            return true;
        }
        final int header = arena.getInt(addr);
        if ((header & LENGTH_MASK) != length) {
            return false;
        }
        final UnsafeBuffer block = arena.buffer(addr);
        final int offset = OffHeapArena.offset(addr) + 4;
        for (int i = 0; i < length; i++) {
            if (wordChar(block, offset, header, i) != text.charAt(from + i)) {
                return false;
            }
        }
        return true;
    }

    private int recordHash(final int rec) {
        final UnsafeBuffer b = records.buffer(rec);
        final int o = records.offset(rec);
        final long addr = b.getLong(o + WORD);
        int h = b.getInt(o + TENANT);
        if (addr < 0) {
            for (int i = 0, length = inlineLength(addr); i < length; i++) {
                h = 31 * h + inlineChar(addr, i);
            }
            return h;
        }
        final int header = arena.getInt(addr);
        final int length = header & LENGTH_MASK;
        final UnsafeBuffer block = arena.buffer(addr);
        final int offset = OffHeapArena.offset(addr) + 4;
        for (int i = 0; i < length; i++) {
            h = 31 * h + wordChar(block, offset, header, i);
        }
        return h;
    }

    private static int hash(final int tenant, final CharSequence text, final int from, final int to) {
        int h = tenant;
        for (int i = from; i < to; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h;
    }

    /** Receives the [start, end) char range of one word. */
    @FunctionalInterface
    public interface WordRange {
        void accept(int start, int end);
    }

    /** Calls {@code sink} for each word of {@code text}: maximal runs of letters or digits, MIN_WORD_CHARS or longer. */
    public static void forEachWord(final CharSequence text, final WordRange sink) {
        for (long w = nextWord(text, 0); w != NO_WORD; w = nextWord(text, wordEnd(w))) {
            sink.accept(wordStart(w), wordEnd(w));
        }
    }

    /** {@link #nextWord}'s answer when no word is left. */
    public static final long NO_WORD = -1L;

    /**
     * The first word of {@code text} at or after {@code from} (as {@link #forEachWord} finds them), its start and end
     * packed into one long ({@link #wordStart}, {@link #wordEnd}), or {@link #NO_WORD}: for a caller walking the words
     * without a callback object.
     */
    public static long nextWord(final CharSequence text, final int from) {
        final int n = text.length();
        int start = -1;
        for (int i = from; i <= n; i++) {
            final boolean wordChar = i < n && Character.isLetterOrDigit(text.charAt(i));
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                if (i - start >= MIN_WORD_CHARS) {
                    return ((long) start << 32) | i;
                }
                start = -1;
            }
        }
        return NO_WORD;
    }

    public static int wordStart(final long word) {
        return (int) (word >>> 32);
    }

    public static int wordEnd(final long word) {
        return (int) word;
    }
}
