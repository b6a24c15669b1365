package ai.continuum.server.transfer;

/**
 * The export document, version {@value #VERSION}: one JSON object, streamed.
 *
 * <pre>
 * {"format": "continuum-export", "version": 1, "exported_at": "2026-11-27T09:00:00Z", "product_version": "...",
 *  "includes_memories": true,
 *  "tenants": [
 *    {"tenant": "acme", "continuity": {"length": 120, "head": "hex"},
 *     "concepts": [...], "links": [...], "compounds": [...], "memories": [...], "decisions": [...],
 *     "forgotten_memories": [ids...],
 *     "summary": {"concepts": n, "links": n, "compounds": n, "memories": n, "decisions": n,
 *                 "forgotten_memories": n, "sha256": "hex"}}],
 *  "tenant_count": 1}
 * </pre>
 *
 * Items use the change log's vocabulary ({@code DeltaItemCodec}); times are epoch milliseconds (UTC). Order matters
 * where a streaming reader needs it: {@code format} and {@code version} precede {@code tenants}; in a tenant,
 * {@code tenant} precedes the item arrays. {@code summary} and {@code tenant_count} are the trailer: when present they
 * must agree with what was read, and {@code sha256} (hex SHA-256 over each section name and each item's canonical JSON,
 * each followed by a newline) detects a changed item. Unknown top-level fields are ignored.
 */
public final class ExportFormat {
    public static final String FORMAT = "continuum-export";
    public static final int VERSION = 1;
    /** Items per delta when a document is replayed. */
    public static final int REPLAY_CHUNK_ITEMS = 1_000;

    private ExportFormat() {}
}
