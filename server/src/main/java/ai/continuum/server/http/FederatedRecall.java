package ai.continuum.server.http;

import ai.continuum.server.federation.StrengthBucket;
import ai.continuum.server.federation.node.FederatedStore;
import ai.continuum.server.federation.node.FederationNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Recall's federated section: the pulled patterns touching the message or the recalled concepts, appended after the
 * local result and marked {@code "source": "federated"} there and in the context block. Local concepts, relationships,
 * memories and their ranking are left exactly as the engine answered. Stateless.
 */
final class FederatedRecall {
    static final String SOURCE = "federated";
    private static final String CONTEXT_END = "[/MEMORY CONTEXT]";

    private FederatedRecall() {}

    /** A pattern learned by other organisations of the federation. */
    record FederatedView(
            String from, String to, String strength, int strengthBucket, int organisations, String source) {}

    /**
     * {@code local} with the federated patterns of {@code federation} (null: none) for {@code tenant}'s recall of
     * {@code message}; only the federation's own tenant sees them.
     */
    static RecallResource.RecallView merge(
            final RecallResource.RecallView local,
            final FederationNode federation,
            final String tenant,
            final String message,
            final int limit) {
        if (federation == null || !federation.settings().tenant().equals(tenant)) {
            return local;
        }
        final List<String> recalled = new ArrayList<>();
        local.concepts().forEach(c -> recalled.add(c.name()));
        final List<FederatedStore.Federated> hits = federation.index().matching(message, recalled, limit);
        if (hits.isEmpty()) {
            return local;
        }
        final List<FederatedView> views = hits.stream()
                .map(f -> new FederatedView(
                        f.nameA(), f.nameB(), StrengthBucket.label(f.bucket()), f.bucket(), f.organisations(), SOURCE))
                .toList();
        return new RecallResource.RecallView(
                context(local.context(), views),
                local.conceptsFound(),
                local.relationshipsFound(),
                local.queryTimeMs(),
                local.tenantId(),
                local.concepts(),
                local.relationships(),
                local.memories(),
                views);
    }

    /** The local context block with a federated section before its end (or a block holding only that section). */
    static String context(final String local, final List<FederatedView> views) {
        final StringBuilder section = new StringBuilder("\nFederated patterns (source: federated; learned by other")
                .append(" organisations, not by this memory):\n");
        for (final FederatedView v : views) {
            section.append("  - ")
                    .append(v.from())
                    .append(" ↔ ")
                    .append(v.to())
                    .append(" (")
                    .append(v.strength())
                    .append(", ")
                    .append(v.organisations())
                    .append(" organisations)\n");
        }
        final int end = local.lastIndexOf(CONTEXT_END);
        if (end < 0) {
            return "[MEMORY CONTEXT]\n" + section + CONTEXT_END;
        }
        return local.substring(0, end) + section + local.substring(end);
    }
}
