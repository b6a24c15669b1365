package ai.continuum.server.transfer;

import ai.continuum.server.storage.Storage;
import java.util.Map;

/**
 * One tenant of a validated export document.
 *
 * @param index  position in the document's tenant array.
 * @param tenant the tenant name it was exported from.
 * @param head   the continuity head it records, or null when absent.
 * @param counts items per section ({@code concepts}, {@code links}, ...).
 * @param digest hex SHA-256 of its canonical items: its identity for idempotent imports.
 * @param seal   the exporting store's seal of {@code digest} at {@code head} ({@code summary.seal}), or null.
 */
public record TenantSection(
        int index, String tenant, Storage.ContinuityHead head, Map<String, Long> counts, String digest, String seal) {
    public long items() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
