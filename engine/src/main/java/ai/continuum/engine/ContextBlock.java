package ai.continuum.engine;

import ai.continuum.engine.store.TextChars;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Renders the {@code [MEMORY CONTEXT]} block (docs/DESIGN.md section 7, recall step 8; the format is kept from the
 * original API, see docs/COMPATIBILITY.md), extended with the memories recall found. Every section holds at most
 * {@code workingMemoryCapacity} items; an empty section is left out; each section is preceded by a blank line; no
 * matches give an empty string. A related concept's {@code strength=} is its activation (its relevance in the recall
 * response: the product of the link strengths along its best path times the resonance decay per hop), as the original
 * format printed it; the strength of one link is in the response's {@code relationships}.
 *
 * <pre>
 * [MEMORY CONTEXT]
 *
 * Direct matches:
 *   - name (type): description (100 chars at most)
 *
 * Related concepts:
 *   - name (via graph, strength=0.72): description (80 chars at most)
 *
 * Compound concepts:
 *   - A + B + C
 *
 * Key relationships:
 *   - A ↔ B (co-occurrence)
 *
 * Relevant memories:
 *   - [2026-11-27] user: ... | assistant: ...   (each side 160 chars at most)
 * [/MEMORY CONTEXT]
 * </pre>
 */
final class ContextBlock {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final int MEMORY_SIDE_CHARS = 160;

    private ContextBlock() {}

    /**
     * Writes the block of {@code answer} into {@code out} (cleared first; left empty when nothing matched): a caller
     * that passes the same builder every time allocates nothing here, not the block's string nor the builder's growth
     * (nor its widening to two bytes a char at the first "↔").
     */
    static void render(final RecallAnswer answer, final int capacity, final StringBuilder out) {
        out.setLength(0);
        if (answer.conceptCount() == 0 && answer.memoryCount() == 0) {
            return;
        }
        out.append("[MEMORY CONTEXT]\n");
        conceptSection(out, "Direct matches:", answer, RecallResult.Source.DIRECT, capacity);
        conceptSection(out, "Related concepts:", answer, RecallResult.Source.GRAPH_NEIGHBOR, capacity);
        conceptSection(out, "Compound concepts:", answer, RecallResult.Source.COMPOUND, capacity);
        final int links = Math.min(capacity, answer.relationshipCount());
        if (links > 0) {
            out.append("\nKey relationships:\n");
            for (int i = 0; i < links; i++) {
                out.append("  - ")
                        .append(answer.relationshipFrom(i))
                        .append(" ↔ ")
                        .append(answer.relationshipTo(i))
                        .append(" (")
                        .append(answer.relationshipType(i))
                        .append(")\n");
            }
        }
        final int lines = Math.min(capacity, answer.memoryCount());
        if (lines > 0) {
            out.append("\nRelevant memories:\n");
            for (int i = 0; i < lines; i++) {
                out.append("  - ");
                memoryLine(out, answer, i);
                out.append('\n');
            }
        }
        out.append("[/MEMORY CONTEXT]");
    }

    /** The section of the concepts from {@code source}, at most {@code capacity} lines; nothing when there are none. */
    private static void conceptSection(
            final StringBuilder out,
            final String title,
            final RecallAnswer answer,
            final RecallResult.Source source,
            final int capacity) {
        int written = 0;
        for (int i = 0; i < answer.conceptCount() && written < capacity; i++) {
            if (answer.conceptSource(i) != source) {
                continue;
            }
            if (written++ == 0) {
                out.append('\n').append(title).append('\n');
            }
            out.append("  - ").append(answer.conceptName(i));
            switch (source) {
                case DIRECT -> {
                    out.append(" (").append(answer.conceptType(i)).append(')');
                    suffix(out, answer.conceptDescription(i), 100);
                }
                case GRAPH_NEIGHBOR -> {
                    out.append(" (via graph, strength=");
                    twoDecimals(out, answer.conceptRelevance(i));
                    out.append(')');
                    suffix(out, answer.conceptDescription(i), 80);
                }
                case COMPOUND -> {
                    // the name alone
                }
            }
            out.append('\n');
        }
    }

    private static void suffix(final StringBuilder out, final String description, final int max) {
        if (description != null && !description.isEmpty()) {
            out.append(": ").append(description, 0, truncatedLength(description, max));
        }
    }

    private static void memoryLine(final StringBuilder out, final RecallAnswer answer, final int place) {
        out.append('[');
        day(out, answer.memoryTimeMillis(place));
        out.append("] ");
        final CharSequence user = answer.memoryUserText(place);
        final CharSequence ai = answer.memoryAiText(place);
        if (!user.isEmpty()) {
            out.append("user: ");
            oneLine(out, user, truncatedLength(user, MEMORY_SIDE_CHARS));
        }
        if (!ai.isEmpty()) {
            if (!user.isEmpty()) {
                out.append(" | ");
            }
            out.append("assistant: ");
            oneLine(out, ai, truncatedLength(ai, MEMORY_SIDE_CHARS));
        }
    }

    /** {@code yyyy-MM-dd} of {@code millis} in UTC, by arithmetic for the years 1-9999 (the formatter otherwise). */
    static void day(final StringBuilder out, final long millis) {
        final LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(millis, 86_400_000L));
        final int year = date.getYear();
        if (year < 1 || year > 9999) {
            out.append(DAY.format(Instant.ofEpochMilli(millis)));
            return;
        }
        pad(out, year, 4).append('-');
        pad(out, date.getMonthValue(), 2).append('-');
        pad(out, date.getDayOfMonth(), 2);
    }

    /** {@code value} (0-9999) with leading zeros to {@code digits} digits. */
    private static StringBuilder pad(final StringBuilder out, final int value, final int digits) {
        final int length = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : 4;
        for (int i = length; i < digits; i++) {
            out.append('0');
        }
        return out.append(value);
    }

    /** {@code %.2f} without the cost of a Formatter: half-up rounding of a non-negative value. */
    private static StringBuilder twoDecimals(final StringBuilder out, final double value) {
        final long hundredths = Math.round(value * 100);
        final long fraction = hundredths % 100;
        return out.append(hundredths / 100).append(fraction < 10 ? ".0" : ".").append(fraction);
    }

    /**
     * The first {@code length} chars of {@code s} with line breaks as spaces: copied in bulk (a stored text from its
     * array), then its line breaks replaced in the builder. Appended char by char through {@link CharSequence}, the
     * texts took half of the block's time and a twentieth of an in-core recall's (benchmarks/RESULTS.md).
     */
    private static void oneLine(final StringBuilder out, final CharSequence s, final int length) {
        final int start = out.length();
        if (s instanceof TextChars text) {
            text.appendTo(out, 0, length);
        } else {
            out.append(s, 0, length);
        }
        for (int i = start, end = out.length(); i < end; i++) {
            final char c = out.charAt(i);
            if (c == '\n' || c == '\r') {
                out.setCharAt(i, ' ');
            }
        }
    }

    /** The length of the first {@code max} chars or fewer, never splitting a surrogate pair. */
    private static int truncatedLength(final CharSequence s, final int max) {
        if (s.length() <= max) {
            return s.length();
        }
        return Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    }
}
