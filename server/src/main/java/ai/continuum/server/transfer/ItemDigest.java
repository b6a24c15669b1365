package ai.continuum.server.transfer;

import ai.continuum.engine.Delta;
import ai.continuum.server.storage.DeltaItemCodec;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The canonical bytes of each item of a tenant's section and their running SHA-256 and counts: the writer writes
 * exactly these bytes, the reader re-encodes what it parsed and gets the same digest unless an item changed. The
 * digest also names the content for idempotent imports.
 *
 * <p>Not thread-safe: one per tenant section.
 */
final class ItemDigest {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final byte[] NEWLINE = {'\n'};

    private final MessageDigest sha256;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private final Map<Section, Long> counts = new EnumMap<>(Section.class);

    ItemDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    void section(final Section section) {
        sha256.update(section.field().getBytes(StandardCharsets.US_ASCII));
        sha256.update(NEWLINE);
        counts.putIfAbsent(section, 0L);
    }

    /** Canonical JSON of {@code item} (a delta item, or a Long memory id), added to the digest. */
    String add(final Section section, final Object item) {
        buffer.reset();
        try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
            switch (item) {
                case Delta.ConceptDelta c -> DeltaItemCodec.writeConcept(g, c);
                case Delta.LinkDelta l -> DeltaItemCodec.writeLink(g, l);
                case Delta.CompoundDelta c -> DeltaItemCodec.writeCompound(g, c);
                case Delta.MemoryDelta m -> DeltaItemCodec.writeMemory(g, m);
                case Delta.DecisionDelta d -> DeltaItemCodec.writeDecision(g, d);
                case Long id -> g.writeNumber(id);
                default -> throw new IllegalArgumentException("not an export item: " + item.getClass());
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final byte[] bytes = buffer.toByteArray();
        sha256.update(bytes);
        sha256.update(NEWLINE);
        counts.merge(section, 1L, Long::sum);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    long count(final Section section) {
        return counts.getOrDefault(section, 0L);
    }

    /** The digest so far, as hex; call once, at the end of the section. */
    String finish() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
