package ai.continuum.benchmarks.data;

/**
 * Distinct, pronounceable two-word concept names ("Kadomir Belosan") for dense ids.
 *
 * <p>A word is seven letters, consonant-vowel-consonant-vowel-consonant-vowel-consonant, drawn from fixed tables of
 * 16 consonants, 4 vowels and 8 final consonants: 21 bits, {@value #WORDS} words. Every table entry is one letter, so
 * distinct bit patterns spell distinct words. The first word of id {@code i} is a seeded bijection of {@code i}, which
 * makes the names of distinct ids distinct; the second word is an independent seeded mix, so it repeats across
 * concepts about {@code concepts / WORDS} times. Seven letters keeps each word below the eight-letter threshold at
 * which the extractor would also take single Title-Case words as concepts, so a name is found only as the whole phrase.
 *
 * <p>Immutable and thread-safe.
 */
public final class NameTable implements ConceptNames {
    /** Number of distinct words, 2^21; also the largest number of distinct names. */
    public static final int WORDS = 1 << 21;
    /** Letters per word. */
    static final int WORD_LENGTH = 7;

    private static final int MASK = WORDS - 1;
    private static final char[] CONSONANTS = "bdfghjklmnprstvz".toCharArray();
    private static final char[] VOWELS = "aeio".toCharArray();
    private static final char[] FINALS = "nrslmdkt".toCharArray();

    private final int firstMul;
    private final int firstAdd;
    private final int secondMul;
    private final int secondAdd;

    public NameTable(final long seed) {
        final long mixed = mix64(seed);
        this.firstMul = (int) (mixed & MASK) | 1;
        this.firstAdd = (int) ((mixed >>> 21) & MASK);
        this.secondMul = (int) ((mixed >>> 42) & MASK) | 1;
        this.secondAdd = (int) (mix64(mixed) & MASK);
    }

    /** The display name of concept {@code id}, 0 <= id < {@link #WORDS}. */
    @Override
    public String displayName(final int id) {
        if (id < 0 || id >= WORDS) {
            throw new IllegalArgumentException("id=" + id + " must be in [0, " + WORDS + ")");
        }
        final char[] out = new char[15];
        word(permute(id, firstMul, firstAdd), out, 0);
        out[7] = ' ';
        word(permute(id ^ 0x5A5A5, secondMul, secondAdd), out, 8);
        return new String(out);
    }

    private static void word(final int bits, final char[] out, final int at) {
        out[at] = Character.toUpperCase(CONSONANTS[bits & 15]);
        out[at + 1] = VOWELS[(bits >>> 4) & 3];
        out[at + 2] = CONSONANTS[(bits >>> 6) & 15];
        out[at + 3] = VOWELS[(bits >>> 10) & 3];
        out[at + 4] = CONSONANTS[(bits >>> 12) & 15];
        out[at + 5] = VOWELS[(bits >>> 16) & 3];
        out[at + 6] = FINALS[(bits >>> 18) & 7];
    }

    /** A bijection of the 21-bit space: each step (xor-shift right, multiply by an odd number mod 2^21) inverts. */
    private static int permute(final int value, final int mul, final int add) {
        int x = (value + add) & MASK;
        x ^= x >>> 11;
        x = (x * mul) & MASK;
        x ^= x >>> 10;
        x = (x * 0x1B5A3) & MASK;
        x ^= x >>> 11;
        return x;
    }

    static long mix64(final long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
