package ai.continuum.benchmarks.data;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Concept names that share words, as real names do ("Apache Kafka", "Apache Flink", "Kafka Streams"): each name is
 * two words (three in {@value #THREE_WORD_PERCENT}% of draws; about 48% of names at 100k, because two-word draws of
 * common words repeat earlier names more often and are drawn again) drawn Zipf({@value #EXPONENT}) from a vocabulary of
 * {@code max(}{@value #MIN_VOCABULARY}{@code , concepts / }{@value #CONCEPTS_PER_WORD}{@code )} seven-letter words
 * spelled like {@link NameTable}'s. A word appears in about {@code 2.4 x }{@value #CONCEPTS_PER_WORD} names on
 * average and the most common words in thousands, so the recall's partial (word) matches fan out the way they do on
 * real data, which the unique names of {@link NameTable} never exercise. Words are seven letters, below the length at
 * which the extractor takes single Title-Case words as concepts, so a name is found as a whole phrase.
 *
 * <p>Names are distinct: a draw that repeats an earlier name, or a word within the name, is drawn again. Unlike
 * {@link NameTable} the names are computed once and held (about 60 bytes of heap per concept). Immutable after
 * construction and thread-safe.
 */
public final class SharedWordNames implements ConceptNames {
    static final int MIN_VOCABULARY = 1024;
    static final int CONCEPTS_PER_WORD = 10;
    static final int THREE_WORD_PERCENT = 40;
    static final double EXPONENT = 1.0;

    private final String[] names;

    public SharedWordNames(final long seed, final int concepts) {
        if (concepts < 1) {
            throw new IllegalArgumentException("concepts=" + concepts + " must be >= 1");
        }
        final int vocabulary = Math.max(MIN_VOCABULARY, concepts / CONCEPTS_PER_WORD);
        final String[] words = new String[vocabulary];
        final NameTable spelling = new NameTable(seed);
        for (int r = 0; r < vocabulary; r++) {
            // The first word of NameTable's id r: distinct for distinct r, so the vocabulary has no repeats.
            words[r] = spelling.displayName(r).substring(0, NameTable.WORD_LENGTH);
        }
        final Zipf zipf = new Zipf(vocabulary, EXPONENT);
        final SplittableRandom random = new SplittableRandom(NameTable.mix64(seed ^ 0x5EA5EDL));
        final Set<String> taken = new HashSet<>(concepts * 2);
        final int[] picked = new int[3];
        names = new String[concepts];
        final StringBuilder name = new StringBuilder(3 * (NameTable.WORD_LENGTH + 1));
        for (int id = 0; id < concepts; id++) {
            do {
                final int count = random.nextInt(100) < THREE_WORD_PERCENT ? 3 : 2;
                int n = 0;
                while (n < count) {
                    final int w = zipf.sample(random);
                    if (!GraphGenerator.contains(picked, n, w)) {
                        picked[n++] = w;
                    }
                }
                name.setLength(0);
                for (int i = 0; i < n; i++) {
                    name.append(i == 0 ? "" : " ").append(words[picked[i]]);
                }
            } while (!taken.add(name.toString()));
            names[id] = name.toString();
        }
    }

    @Override
    public String displayName(final int id) {
        if (id < 0 || id >= names.length) {
            throw new IllegalArgumentException("id=" + id + " must be in [0, " + names.length + ")");
        }
        return names[id];
    }

    /** Number of names held. */
    public int size() {
        return names.length;
    }
}
