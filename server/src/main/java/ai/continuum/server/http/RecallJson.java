package ai.continuum.server.http;

import ai.continuum.engine.RecallAnswer;
import ai.continuum.engine.RecallOutput;
import ai.continuum.engine.store.TextChars;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The recall response ({@link RecallResource.RecallView}, without a federated section) written as JSON bytes straight
 * from the engine's answer ({@link RecallAnswer}: the {@link RecallOutput} this writer keeps, into which the engine
 * decoded it): no view records, no Jackson tree or reflection, no string per field. The bytes
 * are exactly the ones {@link Json#MAPPER} writes for {@link RecallResource#view} (same field order, snake_case
 * names, nulls, number forms, and Jackson's escapes: the two-char forms of {@code \" \\ \b \f \n \r \t}, {@code \\u00XX}
 * for other control chars and {@code \\uXXXX} for each UTF-16 surrogate, everything else as UTF-8);
 * {@code RecallJsonTest} holds the two encodings equal.
 *
 * <p>One instance is one reusable answer and output buffer; not thread-safe. The HTTP layer keeps a few in a pool.
 */
final class RecallJson {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final int INITIAL_CAPACITY = 16 * 1024;
    private static final int INITIAL_CHARS = 1024;
    /** A char buffer grown past this by one long text is replaced, as the byte buffer is. */
    private static final int RETAINED_CHARS = 16 * 1024;
    /** A buffer grown past this by an unusually large answer is replaced, so the pool does not keep it. */
    static final int RETAINED_CAPACITY = 256 * 1024;

    /** The engine's answer, decoded into buffers kept from one recall to the next (what the answer shows only). */
    private final RecallOutput answer = RecallOutput.shownTextsOnly();

    private byte[] buf = new byte[INITIAL_CAPACITY];
    /** The chars of the string being written ({@link #string}). */
    private char[] chars = new char[INITIAL_CHARS];
    /** The digits of the number being written ({@link #number}). */
    private final StringBuilder digits = new StringBuilder(32);

    private int len;
    /** The context block of the recall being written, rendered here rather than as a string. */
    private StringBuilder context = new StringBuilder(4096);

    /** Where the engine writes the recall this writer then encodes ({@link #write(String, RecallAnswer)}). */
    RecallOutput answer() {
        return answer;
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    /** Drops the answer and any buffer an unusually large answer grew, before this writer goes back to its pool. */
    void trim() {
        answer.trim();
        if (buf.length > RETAINED_CAPACITY) {
            buf = new byte[INITIAL_CAPACITY];
        }
        if (chars.length > RETAINED_CHARS) {
            chars = new char[INITIAL_CHARS];
        }
        if (context.capacity() > RETAINED_CAPACITY) {
            context = new StringBuilder(4096);
        }
        len = 0;
    }

    /** Writes the whole response body for {@code tenant}'s recall {@code r}; the bytes are in {@link #bytes()}. */
    RecallJson write(final String tenant, final RecallAnswer r) {
        len = 0;
        raw("{\"context\":");
        r.writeContext(context);
        string(context);
        raw(",\"concepts_found\":");
        integer(r.conceptCount());
        raw(",\"relationships_found\":");
        integer(r.relationshipCount());
        raw(",\"query_time_ms\":");
        number(Math.round(r.queryNanos() / 1_000.0) / 1_000.0);
        raw(",\"tenant_id\":");
        string(tenant);
        raw(",\"concepts\":[");
        for (int i = 0; i < r.conceptCount(); i++) {
            raw(i == 0 ? "{\"name\":" : ",{\"name\":");
            string(r.conceptName(i));
            raw(",\"type\":");
            string(r.conceptType(i));
            raw(",\"description\":");
            string(r.conceptDescription(i));
            raw(",\"relevance\":");
            number(r.conceptRelevance(i));
            raw(",\"source\":");
            string(r.conceptSource(i).wireName());
            raw(",\"depth\":");
            integer(r.conceptDepth(i));
            put('}');
        }
        raw("],\"relationships\":[");
        for (int i = 0; i < r.relationshipCount(); i++) {
            raw(i == 0 ? "{\"from\":" : ",{\"from\":");
            string(r.relationshipFrom(i));
            raw(",\"to\":");
            string(r.relationshipTo(i));
            raw(",\"type\":");
            string(r.relationshipType(i));
            raw(",\"strength\":");
            number(r.relationshipStrength(i));
            put('}');
        }
        raw("],\"memories\":[");
        for (int i = 0; i < r.memoryCount(); i++) {
            raw(i == 0 ? "{\"id\":" : ",{\"id\":");
            integer(r.memoryId(i));
            raw(",\"session_id\":");
            string(r.memorySessionId(i));
            raw(",\"user_message\":");
            string(r.memoryUserText(i));
            raw(",\"ai_response\":");
            string(r.memoryAiText(i));
            raw(",\"time\":");
            put('"');
            IsoInstant.write(this, r.memoryTimeMillis(i));
            put('"');
            raw(",\"score\":");
            number(r.memoryScore(i));
            why(r, i);
            put('}');
        }
        raw("],\"federated\":[]}");
        return this;
    }

    /** {@link RecallResource.WhyView}: the reasons by name, then each kind of evidence rounded to 3 decimals. */
    private void why(final RecallAnswer r, final int place) {
        final double lexical = r.memoryLexical(place);
        final double graph = r.memoryGraph(place);
        final double neighbour = r.memorySessionNeighbour(place);
        final double linked = r.memoryLinkedTurn(place);
        final double semantic = r.memorySemantic(place);
        final boolean inTime = r.memoryInNamedTime(place);
        final boolean newer = r.memoryNewerStatement(place);
        raw(",\"why\":{\"reasons\":[");
        boolean first = true;
        first = reason(lexical > 0, "lexical", first);
        first = reason(graph > 0, "graph", first);
        first = reason(neighbour > 0, "session_neighbour", first);
        first = reason(linked > 0, "linked_turn", first);
        first = reason(semantic > 0, "semantic", first);
        first = reason(inTime, "named_time", first);
        reason(newer, "newer_statement", first);
        raw("],\"lexical\":");
        number(RecallResource.WhyView.round(lexical));
        raw(",\"graph\":");
        number(RecallResource.WhyView.round(graph));
        raw(",\"session_neighbour\":");
        number(RecallResource.WhyView.round(neighbour));
        raw(",\"linked_turn\":");
        number(RecallResource.WhyView.round(linked));
        raw(",\"semantic\":");
        number(RecallResource.WhyView.round(semantic));
        raw(",\"named_time\":");
        raw(inTime ? "true" : "false");
        raw(",\"newer_statement\":");
        raw(newer ? "true" : "false");
        put('}');
    }

    /** Appends a reason name (ASCII, no escapes) when {@code present}; returns whether none has been written yet. */
    private boolean reason(final boolean present, final String name, final boolean first) {
        if (!present) {
            return first;
        }
        if (!first) {
            put(',');
        }
        put('"');
        raw(name);
        put('"');
        return false;
    }

    /** ASCII text without escapes (field names, punctuation, literals). */
    private void raw(final CharSequence ascii) {
        final int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
    }

    void put(final char ascii) {
        ensure(1);
        buf[len++] = (byte) ascii;
    }

    /** A non-negative number below 10,000 with leading zeros to {@code digits} digits. */
    void padded(final int value, final int digits) {
        ensure(digits);
        for (int i = digits - 1, v = value; i >= 0; i--, v /= 10) {
            buf[len + i] = (byte) ('0' + v % 10);
        }
        len += digits;
    }

    private void integer(final long value) {
        if (value >= 0 && value < 10) {
            put((char) ('0' + value));
            return;
        }
        digits.setLength(0);
        digits.append(value);
        raw(digits);
    }

    /**
     * As Jackson writes a double: {@link Double#toString}'s digits, and a quoted name for NaN and the infinities. The
     * digits are formatted into {@link #digits}, which the JDK does without allocating; {@code Double.toString} made
     * a string of about 100 bytes for each of the answer's few dozen numbers.
     */
    private void number(final double value) {
        digits.setLength(0);
        digits.append(value);
        if (Double.isFinite(value)) {
            raw(digits);
        } else {
            put('"');
            raw(digits);
            put('"');
        }
    }

    /**
     * A JSON string, or {@code null}, escaped as Jackson's UTF-8 generator escapes it. The chars are first copied into
     * {@link #chars} by the text's own class: the answer's texts are strings, builders and the engine's
     * {@link TextChars}, and a {@code charAt} per char through {@link CharSequence} would be a call site of three
     * classes, which the JIT does not inline.
     */
    private void string(final CharSequence s) {
        if (s == null) {
            raw("null");
            return;
        }
        final int n = s.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, 2 * chars.length)];
        }
        final char[] cs = chars;
        switch (s) {
            case String str -> str.getChars(0, n, cs, 0);
            case TextChars text -> text.getChars(0, n, cs, 0);
            case StringBuilder builder -> builder.getChars(0, n, cs, 0);
            default -> {
                for (int i = 0; i < n; i++) {
                    cs[i] = s.charAt(i);
                }
            }
        }
        ensure(n * 6 + 2); // the worst case: every char a six-byte escape
        final byte[] b = buf;
        int p = len;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            final char c = cs[i];
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                    continue;
                }
                b[p++] = '\\';
                switch (c) {
                    case '"' -> b[p++] = '"';
                    case '\\' -> b[p++] = '\\';
                    case '\b' -> b[p++] = 'b';
                    case '\f' -> b[p++] = 'f';
                    case '\n' -> b[p++] = 'n';
                    case '\r' -> b[p++] = 'r';
                    case '\t' -> b[p++] = 't';
                    default -> p = unicodeEscape(b, p, c);
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                b[p++] = '\\';
                p = unicodeEscape(b, p, c);
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[p++] = '"';
        len = p;
    }

    /** {@code uXXXX} (the backslash is written by the caller), upper-case hex as Jackson writes it. */
    private static int unicodeEscape(final byte[] b, final int at, final char c) {
        int p = at;
        b[p++] = 'u';
        b[p++] = HEX[(c >> 12) & 0xF];
        b[p++] = HEX[(c >> 8) & 0xF];
        b[p++] = HEX[(c >> 4) & 0xF];
        b[p++] = HEX[c & 0xF];
        return p;
    }

    private void ensure(final int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
