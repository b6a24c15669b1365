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

    /**
     * The same key as {@link #normalize}, written into {@code out} (cleared first) and returned: a recall looks its
     * query's names up without a string per name. An ASCII name is folded here; any other is handed to
     * {@link #normalize}, since {@link String#toLowerCase(Locale)} lower-cases some characters by context (a final
     * sigma) or into two (a dotted capital I), which a character at a time would not.
     */
    public static StringBuilder normalize(final CharSequence name, final StringBuilder out) {
        out.setLength(0);
        final int n = name.length();
        for (int i = 0; i < n; i++) {
            if (name.charAt(i) >= 0x80) {
                return out.append(normalize(name.toString()));
            }
        }
        boolean space = false;
        for (int i = 0; i < n; i++) {
            final char c = name.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return out;
    }
}
