package ai.continuum.engine.store;

/**
 * Word -> concepts whose key contains that word, per tenant, for partial matching at recall without scanning all
 * concepts. Words come from {@link #words}: runs of letters and digits of a concept key, at least
 * {@link #MIN_WORD_CHARS} long.
 *
 * <pre>
 *  word record (24 bytes, by word index):  0 int version | 4 int pad | 8 long addr | 16 int size | 20 int cap
 * </pre>
 * Concept ids of a word are an {@link IntLists} list under the record's sequence lock.
 *
 * <p>Thread model: the writer adds and removes; readers call {@link #find} and {@link #read} with their own probe.
 */
public final class WordIndex implements AutoCloseable {
    public static final int MIN_WORD_CHARS = 3;
    private static final int LIST = 8;

    private final OffHeapArena arena;
    private final StringIndex words;
    private final RecordStore records = new RecordStore(24, 14);

    public WordIndex(final OffHeapArena arena, final long expectedWords) {
        this.arena = arena;
        this.words = new StringIndex("continuum-words", expectedWords, 8);
    }

    /** Writer: indexes concept {@code id} under every word of {@code key}. */
    public void add(final int tenant, final String key, final int id) {
        forEachWord(key, (start, end) -> {
            final CharSequence word = key.subSequence(start, end);
            int rec = words.get(tenant, word);
            if (rec == StringIndex.MISSING) {
                rec = records.add();
                words.put(tenant, word, rec);
            }
            IntLists.append(records, arena, rec, LIST, id);
        });
    }

    /** Writer: removes concept {@code id} from every word of {@code key}. */
    public void remove(final int tenant, final String key, final int id) {
        forEachWord(key, (start, end) -> {
            final int rec = words.get(tenant, key.subSequence(start, end));
            if (rec != StringIndex.MISSING) {
                IntLists.remove(records, arena, rec, LIST, id);
            }
        });
    }

    /** Any thread: the word's list index, or {@link StringIndex#MISSING}. */
    public int find(final int tenant, final CharSequence word, final StringIndex.Probe probe) {
        return words.get(tenant, word, probe);
    }

    /** Any thread: up to {@code max} concept ids of word list {@code rec}, newest first. */
    public int read(final int rec, final int max, final int[] out) {
        return IntLists.readNewest(records, arena, rec, LIST, max, out);
    }

    public long offHeapBytes() {
        return words.offHeapBytes() + records.reservedBytes();
    }

    @Override
    public void close() {
        words.close();
    }

    /** Receives the [start, end) char range of one word. */
    @FunctionalInterface
    public interface WordRange {
        void accept(int start, int end);
    }

    /** Calls {@code sink} for each word of {@code text}: maximal runs of letters or digits, MIN_WORD_CHARS or longer. */
    public static void forEachWord(final CharSequence text, final WordRange sink) {
        final int n = text.length();
        int start = -1;
        for (int i = 0; i <= n; i++) {
            final boolean wordChar = i < n && Character.isLetterOrDigit(text.charAt(i));
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                if (i - start >= MIN_WORD_CHARS) {
                    sink.accept(start, i);
                }
                start = -1;
            }
        }
    }
}
