package ai.continuum.server;

/** Made-up words for tests that need many distinct ones. */
public final class TestWords {
    private TestWords() {}

    /**
     * Lowercase letters that spell {@code n} in base 26, least significant first ({@code 0 -> "a"}, {@code 26 -> "ab"}):
     * distinct for distinct {@code n}, and letters only, so the extractor keeps it whole inside a name.
     */
    public static String letters(final int n) {
        final StringBuilder s = new StringBuilder();
        int v = n;
        do {
            s.append((char) ('a' + v % 26));
            v /= 26;
        } while (v > 0);
        return s.toString();
    }
}
