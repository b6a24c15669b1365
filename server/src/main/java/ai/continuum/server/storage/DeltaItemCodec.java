package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of each item of a {@link Delta}, shared by the change log ({@link OpCodec}) and the export document,
 * so both speak one vocabulary. Writers emit object keys in ascending order (the canonical form OpCodec hashes);
 * readers check every field's presence and type and name the field in their {@link IllegalArgumentException}: a
 * number out of range or of the wrong kind is rejected, never truncated.
 *
 * <p>Thread safety: stateless; any thread.
 */
public final class DeltaItemCodec {
    private DeltaItemCodec() {}

    public static void writeConcept(final JsonGenerator g, final Delta.ConceptDelta c) throws IOException {
        g.writeStartObject();
        g.writeStringField("description", c.description());
        g.writeStringField("displayName", c.displayName());
        g.writeNumberField("firstSeenMillis", c.firstSeenMillis());
        g.writeStringField("key", c.key());
        g.writeStringField("type", c.type());
        g.writeEndObject();
    }

    public static Delta.ConceptDelta readConcept(final JsonNode c) {
        return new Delta.ConceptDelta(
                text(c, "key"),
                text(c, "displayName"),
                text(c, "type"),
                text(c, "description"),
                longValue(c, "firstSeenMillis"));
    }

    public static void writeLink(final JsonGenerator g, final Delta.LinkDelta l) throws IOException {
        g.writeStartObject();
        g.writeStringField("a", l.a());
        g.writeStringField("b", l.b());
        g.writeNumberField("count", l.count());
        g.writeNumberField("lastSeenMillis", l.lastSeenMillis());
        g.writeEndObject();
    }

    public static Delta.LinkDelta readLink(final JsonNode l) {
        return new Delta.LinkDelta(text(l, "a"), text(l, "b"), intValue(l, "count"), longValue(l, "lastSeenMillis"));
    }

    public static void writeCompound(final JsonGenerator g, final Delta.CompoundDelta c) throws IOException {
        g.writeStartObject();
        g.writeFieldName("components");
        writeStrings(g, c.components());
        g.writeNumberField("count", c.count());
        g.writeNumberField("lastSeenMillis", c.lastSeenMillis());
        g.writeEndObject();
    }

    public static Delta.CompoundDelta readCompound(final JsonNode c) {
        return new Delta.CompoundDelta(strings(c, "components"), intValue(c, "count"), longValue(c, "lastSeenMillis"));
    }

    public static void writeMemory(final JsonGenerator g, final Delta.MemoryDelta m) throws IOException {
        g.writeStartObject();
        g.writeStringField("aiText", m.aiText());
        g.writeFieldName("concepts");
        writeStrings(g, m.concepts());
        g.writeNumberField("id", m.id());
        g.writeStringField("metadata", m.metadata());
        g.writeStringField("sessionId", m.sessionId());
        g.writeStringField("thinking", m.thinking());
        g.writeNumberField("timeMillis", m.timeMillis());
        g.writeStringField("userText", m.userText());
        g.writeEndObject();
    }

    public static Delta.MemoryDelta readMemory(final JsonNode m) {
        return new Delta.MemoryDelta(
                longValue(m, "id"),
                text(m, "sessionId"),
                text(m, "userText"),
                text(m, "aiText"),
                text(m, "thinking"),
                text(m, "metadata"),
                longValue(m, "timeMillis"),
                strings(m, "concepts"));
    }

    public static void writeDecision(final JsonGenerator g, final Delta.DecisionDelta d) throws IOException {
        g.writeStartObject();
        g.writeNumberField("memoryId", d.memoryId());
        g.writeNumberField("ordinal", d.ordinal());
        g.writeStringField("text", d.text());
        g.writeNumberField("timeMillis", d.timeMillis());
        g.writeEndObject();
    }

    public static Delta.DecisionDelta readDecision(final JsonNode d) {
        return new Delta.DecisionDelta(
                longValue(d, "memoryId"), intValue(d, "ordinal"), text(d, "text"), longValue(d, "timeMillis"));
    }

    static void writeStrings(final JsonGenerator g, final List<String> values) throws IOException {
        g.writeStartArray();
        for (final String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** A JSON array of strings; any other element is rejected. */
    static List<String> stringArray(final JsonNode array, final String what) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("'" + what + "' must be an array of strings");
        }
        final List<String> out = new ArrayList<>(array.size());
        for (final JsonNode v : array) {
            if (!v.isTextual()) {
                throw new IllegalArgumentException("'" + what + "' must hold strings only, found " + v.getNodeType());
            }
            out.add(v.textValue());
        }
        return out;
    }

    private static List<String> strings(final JsonNode n, final String field) {
        return stringArray(required(n, field), field);
    }

    static JsonNode required(final JsonNode n, final String field) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("expected a JSON object holding '" + field + "'");
        }
        final JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v;
    }

    static String text(final JsonNode n, final String field) {
        final JsonNode v = required(n, field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return v.textValue();
    }

    static long longValue(final JsonNode n, final String field) {
        final JsonNode v = required(n, field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer (64-bit)");
        }
        return v.longValue();
    }

    static int intValue(final JsonNode n, final String field) {
        final JsonNode v = required(n, field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer (32-bit)");
        }
        return v.intValue();
    }
}
