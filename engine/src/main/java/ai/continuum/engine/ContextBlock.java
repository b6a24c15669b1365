package ai.continuum.engine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

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

    static String render(
            final List<RecallResult.ConceptHit> concepts,
            final List<RecallResult.Relationship> relationships,
            final List<RecallResult.MemoryHit> memories,
            final int capacity) {
        if (concepts.isEmpty() && memories.isEmpty()) {
            return "";
        }
        final StringBuilder out = new StringBuilder("[MEMORY CONTEXT]\n");
        section(
                out,
                "Direct matches:",
                concepts.stream()
                        .filter(c -> c.source() == RecallResult.Source.DIRECT)
                        .limit(capacity)
                        .map(c -> c.name() + " (" + c.type() + ")" + suffix(c.description(), 100))
                        .toList());
        section(
                out,
                "Related concepts:",
                concepts.stream()
                        .filter(c -> c.source() == RecallResult.Source.GRAPH_NEIGHBOR)
                        .limit(capacity)
                        .map(c -> c.name() + " (via graph, strength=" + twoDecimals(c.relevance()) + ")"
                                + suffix(c.description(), 80))
                        .toList());
        section(
                out,
                "Compound concepts:",
                concepts.stream()
                        .filter(c -> c.source() == RecallResult.Source.COMPOUND)
                        .limit(capacity)
                        .map(RecallResult.ConceptHit::name)
                        .toList());
        section(
                out,
                "Key relationships:",
                relationships.stream()
                        .limit(capacity)
                        .map(r -> r.from() + " ↔ " + r.to() + " (" + r.type() + ")")
                        .toList());
        section(
                out,
                "Relevant memories:",
                memories.stream()
                        .limit(capacity)
                        .map(m -> memoryLine(m.memory()))
                        .toList());
        return out.append("[/MEMORY CONTEXT]").toString();
    }

    private static void section(final StringBuilder out, final String title, final List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        out.append('\n').append(title).append('\n');
        for (final String line : lines) {
            out.append("  - ").append(line).append('\n');
        }
    }

    private static String suffix(final String description, final int max) {
        return description == null || description.isEmpty() ? "" : ": " + truncate(description, max);
    }

    private static String memoryLine(final Memory m) {
        final StringBuilder line = new StringBuilder();
        line.append('[')
                .append(DAY.format(Instant.ofEpochMilli(m.timeMillis())))
                .append("] ");
        if (!m.userText().isEmpty()) {
            line.append("user: ").append(oneLine(truncate(m.userText(), MEMORY_SIDE_CHARS)));
        }
        if (!m.aiText().isEmpty()) {
            if (!m.userText().isEmpty()) {
                line.append(" | ");
            }
            line.append("assistant: ").append(oneLine(truncate(m.aiText(), MEMORY_SIDE_CHARS)));
        }
        return line.toString();
    }

    /** {@code %.2f} without the cost of a Formatter: half-up rounding of a non-negative value. */
    static String twoDecimals(final double value) {
        final long hundredths = Math.round(value * 100);
        final long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }

    private static String oneLine(final String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    /** At most {@code max} chars, never splitting a surrogate pair. */
    static String truncate(final String s, final int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
