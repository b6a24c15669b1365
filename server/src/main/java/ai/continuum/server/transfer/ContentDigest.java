package ai.continuum.server.transfer;

import ai.continuum.engine.Delta;
import ai.continuum.server.storage.ExportSeal;
import ai.continuum.server.storage.ExportSink;
import ai.continuum.server.storage.StateExport;
import ai.continuum.server.storage.Storage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts and content digest of stored tenants exactly as an export document with memories would record them in
 * each tenant's {@code summary}, computed from {@link Storage#export} callbacks without writing a document: two
 * tenants with the same canonical content have the same digest, on any backend. Used to verify a migration (source
 * snapshot against target) and usable beside an {@link ExportDocumentWriter} on the same export.
 *
 * <p>Not thread-safe: one instance per export, on the exporting thread.
 */
public final class ContentDigest implements ExportSink {
    private final List<TenantSection> tenants = new ArrayList<>();
    private Storage.ContinuityHead head;
    private ItemDigest digest;
    /** The last section opened in the current tenant, or null before its first. */
    private Section open;

    /** The content of {@code tenantOrNull} (every stored tenant when null), in one read snapshot. */
    public static List<TenantSection> of(final StateExport storage, final String tenantOrNull) {
        final ContentDigest sink = new ContentDigest();
        storage.export(tenantOrNull, true, sink);
        return sink.tenants();
    }

    /** One section per tenant ended so far, in export order; {@code index} is the position among them. */
    public List<TenantSection> tenants() {
        return List.copyOf(tenants);
    }

    @Override
    public void beginTenant(final Storage.ContinuityHead head, final ExportSeal seal) {
        this.head = head;
        digest = new ItemDigest();
        open = null;
    }

    @Override
    public void delta(final Delta delta) {
        add(Section.CONCEPTS, delta.concepts());
        add(Section.LINKS, delta.links());
        add(Section.COMPOUNDS, delta.compounds());
        add(Section.MEMORIES, delta.memories());
        add(Section.DECISIONS, delta.decisions());
    }

    @Override
    public void forgottenMemory(final long memoryId) {
        add(Section.FORGOTTEN_MEMORIES, List.of(memoryId));
    }

    @Override
    public void endTenant() {
        openThrough(Section.FORGOTTEN_MEMORIES);
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (final Section s : Section.values()) {
            counts.put(s.field(), digest.count(s));
        }
        tenants.add(new TenantSection(tenants.size(), head.tenant(), head, counts, digest.finish(), null));
    }

    private void add(final Section section, final List<?> items) {
        if (items.isEmpty()) {
            return;
        }
        openThrough(section);
        for (final Object item : items) {
            digest.add(section, item);
        }
    }

    /**
     * Opens every section up to {@code target} in document order, empty ones included: the digest covers each section
     * name, as the writer (which writes every section of a document with memories) and the reader see them.
     */
    private void openThrough(final Section target) {
        if (open != null && open.compareTo(target) > 0) {
            throw new IllegalStateException(target.field() + " arrived after " + open.field());
        }
        while (open != target) {
            open = open == null ? Section.CONCEPTS : open.next();
            digest.section(open);
        }
    }
}
