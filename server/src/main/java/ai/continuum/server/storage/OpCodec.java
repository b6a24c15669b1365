package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical JSON form of a {@link StorageOp}: the bytes the continuity chain hashes and the change log stores.
 *
 * <p>Canonical means: object keys in ascending order, no whitespace, UTF-8, strings escaped the one way Jackson
 * escapes them (control characters, quote and backslash only), integers as integers, list order kept as the op holds
 * it (a delta's lists are part of its value). The only floating-point value is {@link StorageOp.PruneLinks#threshold},
 * written as the shortest decimal that reads back to the same double. Equal ops therefore always give equal bytes,
 * and {@link #decode} returns an op equal to the one encoded.
 *
 * <p>Thread safety: stateless apart from Jackson's thread-safe factory; any thread.
 */
public final class OpCodec {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private OpCodec() {
    }

    /** The value of the change log's {@code kind} column. */
    public static String kind(final StorageOp op) {
        return switch (op) {
            case StorageOp.Apply a -> "apply";
            case StorageOp.ForgetMemory f -> "forget_memory";
            case StorageOp.ForgetConcept f -> "forget_concept";
            case StorageOp.PruneLinks p -> "prune_links";
        };
    }

    public static byte[] encode(final StorageOp op) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            switch (op) {
                case StorageOp.Apply a -> {
                    g.writeFieldName("delta");
                    writeDelta(g, a.delta());
                    g.writeStringField("kind", kind(op));
                    g.writeStringField("tenant", a.tenant());
                }
                case StorageOp.ForgetConcept f -> {
                    g.writeStringField("conceptKey", f.conceptKey());
                    g.writeStringField("kind", kind(op));
                    g.writeStringField("tenant", f.tenant());
                }
                case StorageOp.ForgetMemory f -> {
                    g.writeStringField("kind", kind(op));
                    g.writeNumberField("memoryId", f.memoryId());
                    g.writeStringField("tenant", f.tenant());
                }
                case StorageOp.PruneLinks p -> {
                    g.writeStringField("kind", kind(op));
                    g.writeNumberField("nowMillis", p.nowMillis());
                    g.writeStringField("tenant", p.tenant());
                    if (!Double.isFinite(p.threshold())) {
                        throw new IllegalArgumentException("threshold=" + p.threshold() + " must be finite");
                    }
                    g.writeFieldName("threshold");
                    g.writeRawValue(Double.toString(p.threshold()));
                }
            }
            g.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot encode " + kind(op) + " op", e);
        }
        return out.toByteArray();
    }

    public static String encodeToString(final StorageOp op) {
        return new String(encode(op), StandardCharsets.UTF_8);
    }

    public static StorageOp decode(final byte[] json) {
        final JsonNode n = tree(json);
        final String tenant = text(n, "tenant");
        final String kind = text(n, "kind");
        return switch (kind) {
            case "apply" -> new StorageOp.Apply(tenant, readDelta(required(n, "delta")));
            case "forget_memory" -> new StorageOp.ForgetMemory(tenant, required(n, "memoryId").longValue());
            case "forget_concept" -> new StorageOp.ForgetConcept(tenant, text(n, "conceptKey"));
            case "prune_links" -> new StorageOp.PruneLinks(tenant, required(n, "threshold").doubleValue(),
                required(n, "nowMillis").longValue());
            default -> throw new IllegalArgumentException("unknown op kind '" + kind + "'");
        };
    }

    public static StorageOp decode(final String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON array of strings, in order (memory postings, compound components). */
    static String encodeStrings(final List<String> values) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeStrings(g, values);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot encode a string list", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<String> decodeStrings(final String json) {
        return strings(tree(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void writeDelta(final JsonGenerator g, final Delta d) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("compounds");
        for (final Delta.CompoundDelta c : d.compounds()) {
            g.writeStartObject();
            g.writeFieldName("components");
            writeStrings(g, c.components());
            g.writeNumberField("count", c.count());
            g.writeNumberField("lastSeenMillis", c.lastSeenMillis());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("concepts");
        for (final Delta.ConceptDelta c : d.concepts()) {
            g.writeStartObject();
            g.writeStringField("description", c.description());
            g.writeStringField("displayName", c.displayName());
            g.writeNumberField("firstSeenMillis", c.firstSeenMillis());
            g.writeStringField("key", c.key());
            g.writeStringField("type", c.type());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("decisions");
        for (final Delta.DecisionDelta dd : d.decisions()) {
            g.writeStartObject();
            g.writeNumberField("memoryId", dd.memoryId());
            g.writeNumberField("ordinal", dd.ordinal());
            g.writeStringField("text", dd.text());
            g.writeNumberField("timeMillis", dd.timeMillis());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("links");
        for (final Delta.LinkDelta l : d.links()) {
            g.writeStartObject();
            g.writeStringField("a", l.a());
            g.writeStringField("b", l.b());
            g.writeNumberField("count", l.count());
            g.writeNumberField("lastSeenMillis", l.lastSeenMillis());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("memories");
        for (final Delta.MemoryDelta m : d.memories()) {
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
        g.writeEndArray();
        g.writeEndObject();
    }

    private static Delta readDelta(final JsonNode d) {
        final List<Delta.ConceptDelta> concepts = new ArrayList<>();
        for (final JsonNode c : required(d, "concepts")) {
            concepts.add(new Delta.ConceptDelta(text(c, "key"), text(c, "displayName"), text(c, "type"),
                text(c, "description"), required(c, "firstSeenMillis").longValue()));
        }
        final List<Delta.LinkDelta> links = new ArrayList<>();
        for (final JsonNode l : required(d, "links")) {
            links.add(new Delta.LinkDelta(text(l, "a"), text(l, "b"), required(l, "count").intValue(),
                required(l, "lastSeenMillis").longValue()));
        }
        final List<Delta.CompoundDelta> compounds = new ArrayList<>();
        for (final JsonNode c : required(d, "compounds")) {
            compounds.add(new Delta.CompoundDelta(strings(required(c, "components")), required(c, "count").intValue(),
                required(c, "lastSeenMillis").longValue()));
        }
        final List<Delta.MemoryDelta> memories = new ArrayList<>();
        for (final JsonNode m : required(d, "memories")) {
            memories.add(new Delta.MemoryDelta(required(m, "id").longValue(), text(m, "sessionId"),
                text(m, "userText"), text(m, "aiText"), text(m, "thinking"), text(m, "metadata"),
                required(m, "timeMillis").longValue(), strings(required(m, "concepts"))));
        }
        final List<Delta.DecisionDelta> decisions = new ArrayList<>();
        for (final JsonNode dd : required(d, "decisions")) {
            decisions.add(new Delta.DecisionDelta(required(dd, "memoryId").longValue(),
                required(dd, "ordinal").intValue(), text(dd, "text"), required(dd, "timeMillis").longValue()));
        }
        return new Delta(concepts, links, compounds, memories, decisions);
    }

    private static void writeStrings(final JsonGenerator g, final List<String> values) throws IOException {
        g.writeStartArray();
        for (final String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static List<String> strings(final JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("expected a JSON array of strings, got " + array.getNodeType());
        }
        final List<String> out = new ArrayList<>(array.size());
        for (final JsonNode v : array) {
            out.add(v.textValue());
        }
        return out;
    }

    private static JsonNode tree(final byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (final IOException e) {
            throw new IllegalArgumentException("malformed op JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(final JsonNode n, final String field) {
        final JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("op JSON lacks field '" + field + "'");
        }
        return v;
    }

    private static String text(final JsonNode n, final String field) {
        final JsonNode v = required(n, field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("op JSON field '" + field + "' must be a string");
        }
        return v.textValue();
    }
}
