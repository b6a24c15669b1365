package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
    /**
     * Decodes what {@link #encode} wrote, however long: a payload read back from the change log is already held
     * whole, and a row stored before the size limits existed (a memory of tens of MiB) is still a well-formed op, so
     * {@code continuum verify} must not call it tampered. Jackson's default string limit (20M chars) would.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private OpCodec() {}

    /** The value of the change log's {@code kind} column. */
    public static String kind(final StorageOp op) {
        return switch (op) {
            case StorageOp.Apply a -> "apply";
            case StorageOp.ForgetMemory f -> "forget_memory";
            case StorageOp.ForgetConcept f -> "forget_concept";
            case StorageOp.PruneLinks p -> "prune_links";
            case StorageOp.ClearTenant c -> "clear_tenant";
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
                case StorageOp.ClearTenant c -> {
                    g.writeStringField("kind", kind(op));
                    g.writeStringField("tenant", c.tenant());
                }
                case StorageOp.ForgetMemory f -> {
                    g.writeStringField("kind", kind(op));
                    g.writeNumberField("memoryId", f.memoryId());
                    g.writeStringField("tenant", f.tenant());
                }
                case StorageOp.PruneLinks p -> {
                    // Written only when false: ops logged before the flag existed applied decay, and must keep
                    // encoding to the bytes their chain hash was taken over.
                    if (!p.applyDecay()) {
                        g.writeBooleanField("applyDecay", false);
                    }
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
            case "forget_memory" ->
                new StorageOp.ForgetMemory(tenant, required(n, "memoryId").longValue());
            case "forget_concept" -> new StorageOp.ForgetConcept(tenant, text(n, "conceptKey"));
            case "clear_tenant" -> new StorageOp.ClearTenant(tenant);
            case "prune_links" ->
                new StorageOp.PruneLinks(
                        tenant,
                        required(n, "threshold").doubleValue(),
                        required(n, "nowMillis").longValue(),
                        applyDecay(n));
            default -> throw new IllegalArgumentException("unknown op kind '" + kind + "'");
        };
    }

    /** The prune op's {@code applyDecay}: true when absent (ops logged before the flag existed applied decay). */
    private static boolean applyDecay(final JsonNode n) {
        final JsonNode flag = n.get("applyDecay");
        if (flag == null) {
            return true;
        }
        if (!flag.isBoolean()) {
            throw new IllegalArgumentException("field 'applyDecay' must be a boolean, got " + flag);
        }
        return flag.booleanValue();
    }

    public static StorageOp decode(final String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON array of strings, in order (memory postings, compound components). */
    static String encodeStrings(final List<String> values) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            DeltaItemCodec.writeStrings(g, values);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot encode a string list", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<String> decodeStrings(final String json) {
        return DeltaItemCodec.stringArray(tree(json.getBytes(StandardCharsets.UTF_8)), "string list");
    }

    private static void writeDelta(final JsonGenerator g, final Delta d) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("compounds");
        for (final Delta.CompoundDelta c : d.compounds()) {
            DeltaItemCodec.writeCompound(g, c);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("concepts");
        for (final Delta.ConceptDelta c : d.concepts()) {
            DeltaItemCodec.writeConcept(g, c);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("decisions");
        for (final Delta.DecisionDelta dd : d.decisions()) {
            DeltaItemCodec.writeDecision(g, dd);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("links");
        for (final Delta.LinkDelta l : d.links()) {
            DeltaItemCodec.writeLink(g, l);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("memories");
        for (final Delta.MemoryDelta m : d.memories()) {
            DeltaItemCodec.writeMemory(g, m);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static Delta readDelta(final JsonNode d) {
        final List<Delta.ConceptDelta> concepts = new ArrayList<>();
        for (final JsonNode c : required(d, "concepts")) {
            concepts.add(DeltaItemCodec.readConcept(c));
        }
        final List<Delta.LinkDelta> links = new ArrayList<>();
        for (final JsonNode l : required(d, "links")) {
            links.add(DeltaItemCodec.readLink(l));
        }
        final List<Delta.CompoundDelta> compounds = new ArrayList<>();
        for (final JsonNode c : required(d, "compounds")) {
            compounds.add(DeltaItemCodec.readCompound(c));
        }
        final List<Delta.MemoryDelta> memories = new ArrayList<>();
        for (final JsonNode m : required(d, "memories")) {
            memories.add(DeltaItemCodec.readMemory(m));
        }
        final List<Delta.DecisionDelta> decisions = new ArrayList<>();
        for (final JsonNode dd : required(d, "decisions")) {
            decisions.add(DeltaItemCodec.readDecision(dd));
        }
        return new Delta(concepts, links, compounds, memories, decisions);
    }

    private static JsonNode tree(final byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (final IOException e) {
            throw new IllegalArgumentException("malformed op JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(final JsonNode n, final String field) {
        return DeltaItemCodec.required(n, field);
    }

    private static String text(final JsonNode n, final String field) {
        return DeltaItemCodec.text(n, field);
    }
}
