package ai.continuum.engine;

import java.util.Locale;

/** Concept identity: the case-insensitive key a display name maps to. */
public final class ConceptKeys {
    private ConceptKeys() {}

    /**
     * The identity of a concept name within a tenant: trimmed, inner whitespace runs folded to one space, lower-cased
     * with {@link Locale#ROOT} (Unicode-aware, independent of the machine's locale).
     */
    public static String normalize(final String name) {
        final String trimmed = name.strip();
        final StringBuilder out = new StringBuilder(trimmed.length());
        boolean space = false;
        for (int i = 0; i < trimmed.length(); i++) {
            final char c = trimmed.charAt(i);
            if (Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
