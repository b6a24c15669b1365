package ai.continuum.server.transfer;

import ai.continuum.engine.Delta;
import ai.continuum.server.core.Version;
import ai.continuum.server.storage.ExportSeal;
import ai.continuum.server.storage.ExportSink;
import ai.continuum.server.storage.Storage;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Streams an {@link ExportFormat export document} from the {@link ExportSink} callbacks of {@code Storage.export}:
 * nothing but the current item is held in memory. Items go one per line, so the file reads and diffs well.
 *
 * <p>Not thread-safe: used on the exporting thread. {@link #finish} writes the trailer; a document without it is
 * truncated and no reader accepts it.
 */
public final class ExportDocumentWriter implements ExportSink {
    private final JsonGenerator json;
    private final boolean includesMemories;
    private final TransferProgress progress;
    private ItemDigest digest;
    private Storage.ContinuityHead head;
    private ExportSeal seal;
    private Section open;
    private int tenants;
    private long items;

    public ExportDocumentWriter(
            final OutputStream out,
            final Instant exportedAt,
            final boolean includesMemories,
            final TransferProgress progress) {
        this.includesMemories = includesMemories;
        this.progress = progress;
        try {
            json = new JsonFactory().createGenerator(out);
            json.setPrettyPrinter(new DefaultPrettyPrinter()
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n")));
            json.writeStartObject();
            json.writeStringField("format", ExportFormat.FORMAT);
            json.writeNumberField("version", ExportFormat.VERSION);
            json.writeStringField("exported_at", exportedAt.toString());
            json.writeStringField("product_version", Version.current());
            json.writeBooleanField("includes_memories", includesMemories);
            json.writeArrayFieldStart("tenants");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the export document", e);
        }
        progress.phase("exporting", -1);
    }

    @Override
    public void beginTenant(final Storage.ContinuityHead head, final ExportSeal seal) {
        this.head = head;
        this.seal = seal;
        try {
            json.writeStartObject();
            json.writeStringField("tenant", head.tenant());
            json.writeObjectFieldStart("continuity");
            json.writeNumberField("length", head.length());
            json.writeStringField("head", head.headHex());
            json.writeEndObject();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the export document", e);
        }
        digest = new ItemDigest();
        open = null;
    }

    @Override
    public void delta(final Delta delta) {
        write(Section.CONCEPTS, delta.concepts());
        write(Section.LINKS, delta.links());
        write(Section.COMPOUNDS, delta.compounds());
        write(Section.MEMORIES, delta.memories());
        write(Section.DECISIONS, delta.decisions());
    }

    @Override
    public void forgottenMemory(final long memoryId) {
        write(Section.FORGOTTEN_MEMORIES, List.of(memoryId));
    }

    @Override
    public void endTenant() {
        try {
            openThrough(Section.FORGOTTEN_MEMORIES);
            json.writeEndArray();
            json.writeObjectFieldStart("summary");
            for (final Section s : Section.values()) {
                if (written(s)) {
                    json.writeNumberField(s.field(), digest.count(s));
                }
            }
            final String sha256 = digest.finish();
            json.writeStringField("sha256", sha256);
            final String sealed = seal.seal(head, sha256);
            if (sealed != null) {
                json.writeStringField("seal", sealed);
            }
            json.writeEndObject();
            json.writeEndObject();
            json.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the export document", e);
        }
        tenants++;
    }

    /** Writes the trailer and flushes; the caller closes the stream. */
    public void finish() {
        try {
            json.writeEndArray();
            json.writeNumberField("tenant_count", tenants);
            json.writeEndObject();
            json.writeRaw('\n');
            json.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the export document", e);
        }
        progress.advance(items);
        progress.finish();
    }

    public int tenants() {
        return tenants;
    }

    public long items() {
        return items;
    }

    private void write(final Section section, final List<?> values) {
        if (values.isEmpty()) {
            return;
        }
        if (section == Section.MEMORIES && !includesMemories) {
            throw new IllegalStateException("memories arrived for an export without memories");
        }
        try {
            openThrough(section);
            for (final Object item : values) {
                json.writeRawValue(digest.add(section, item));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the export document", e);
        }
        items += values.size();
        progress.advance(items);
    }

    private boolean written(final Section section) {
        return section != Section.MEMORIES || includesMemories;
    }

    /** Closes the open section and opens every section up to {@code target} (empty ones included), in order. */
    private void openThrough(final Section target) throws IOException {
        if (open != null && open.compareTo(target) > 0) {
            throw new IllegalStateException(target.field() + " arrived after " + open.field());
        }
        while (open != target) {
            if (open != null && written(open)) {
                json.writeEndArray();
            }
            open = open == null ? Section.CONCEPTS : open.next();
            if (written(open)) {
                json.writeArrayFieldStart(open.field());
                digest.section(open);
            }
        }
    }
}
