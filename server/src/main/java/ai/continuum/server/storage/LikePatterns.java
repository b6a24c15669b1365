package ai.continuum.server.storage;

/** Builds {@code LIKE} patterns that match user text literally ({@code ESCAPE '\'}), so % and _ are not wildcards. */
final class LikePatterns {
    static final String ESCAPE_CLAUSE = " ESCAPE '\\'";

    private LikePatterns() {}

    /** {@code %text%} with every \, % and _ of {@code text} escaped. */
    static String contains(final String text) {
        final StringBuilder b = new StringBuilder(text.length() + 8).append('%');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '\\' || c == '%' || c == '_') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('%').toString();
    }
}
