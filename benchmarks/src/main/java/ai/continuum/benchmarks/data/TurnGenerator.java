package ai.continuum.benchmarks.data;

import ai.continuum.engine.Turn;
import java.util.SplittableRandom;

/**
 * Realistic conversation turns for the learn benchmark: two user sentences and two assistant sentences mentioning
 * 5 to 8 distinct Title-Case concepts, drawn Zipf-like from a fixed vocabulary (a few concepts recur constantly, most
 * rarely), one assistant sentence in two carrying a decision ("I will ..."). Every concept name is surrounded by
 * lower-case words or punctuation, so the extractor sees each as one phrase.
 *
 * <p>Not thread-safe; deterministic for a given seed.
 */
public final class TurnGenerator {
    public static final int MIN_CONCEPTS = 5;
    public static final int MAX_CONCEPTS = 8;

    private static final String[][] USER_TEMPLATES = {
        {"We talked about %s again.", "is it true that %s still matters?", "we had a look at %s earlier."},
        {"We compared %s with %s today.", "we said %s is still tied to %s.", "we moved %s next to %s last week."},
    };
    private static final String[][] AI_TEMPLATES = {
        {"It seems %s stays the main thread.", "I will keep %s in mind for later.", "our plan keeps %s as is."},
        {"It seems %s depends on %s here.", "I will keep %s next to %s for now.", "our notes link %s to %s."},
    };

    private final NameTable names;
    private final Zipf vocabulary;
    private final SplittableRandom random;

    /**
     * @param seed           determines the vocabulary names and the sequence of turns.
     * @param vocabularySize distinct concepts turns draw from, >= {@value #MAX_CONCEPTS}.
     * @param zipfExponent   skew of concept popularity, > 0; 1.0 is natural-language-like.
     */
    public TurnGenerator(final long seed, final int vocabularySize, final double zipfExponent) {
        if (vocabularySize < MAX_CONCEPTS || vocabularySize > NameTable.WORDS) {
            throw new IllegalArgumentException(
                    "vocabularySize=" + vocabularySize + " must be in [" + MAX_CONCEPTS + ", " + NameTable.WORDS + "]");
        }
        this.names = new NameTable(seed ^ 0x7E57L);
        this.vocabulary = new Zipf(vocabularySize, zipfExponent);
        this.random = new SplittableRandom(seed);
    }

    /** The next turn, with the given identity and time. */
    public Turn next(final long memoryId, final long timeMillis) {
        final int n = MIN_CONCEPTS + random.nextInt(MAX_CONCEPTS - MIN_CONCEPTS + 1);
        final String[] concepts = distinctConcepts(n);
        // Four sentences of one or two concepts each: n=5 -> 2,1,1,1 ... n=8 -> 2,2,2,2.
        final int[] perSentence = new int[4];
        for (int i = 0; i < n; i++) {
            perSentence[i % 4]++;
        }
        int next = 0;
        final StringBuilder user = new StringBuilder(160);
        final StringBuilder ai = new StringBuilder(160);
        for (int s = 0; s < 4; s++) {
            final String[][] templates = s < 2 ? USER_TEMPLATES : AI_TEMPLATES;
            final String[] choices = templates[perSentence[s] - 1];
            final String template = choices[random.nextInt(choices.length)];
            final String sentence = perSentence[s] == 1
                    ? template.formatted(concepts[next])
                    : template.formatted(concepts[next], concepts[next + 1]);
            next += perSentence[s];
            final StringBuilder out = s < 2 ? user : ai;
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(Character.toUpperCase(sentence.charAt(0))).append(sentence, 1, sentence.length());
        }
        return new Turn(memoryId, user.toString(), ai.toString(), "", "session-" + (memoryId % 64), "", timeMillis);
    }

    private String[] distinctConcepts(final int n) {
        final int[] ranks = new int[n];
        int have = 0;
        while (have < n) {
            final int rank = vocabulary.sample(random);
            boolean seen = false;
            for (int i = 0; i < have; i++) {
                seen |= ranks[i] == rank;
            }
            if (!seen) {
                ranks[have++] = rank;
            }
        }
        final String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = names.displayName(ranks[i]);
        }
        return out;
    }
}
