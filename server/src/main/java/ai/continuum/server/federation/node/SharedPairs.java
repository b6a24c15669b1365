package ai.continuum.server.federation.node;

import ai.continuum.engine.Delta;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.federation.GroupKey;
import ai.continuum.server.federation.PatternPayload;
import ai.continuum.server.federation.StrengthBucket;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a tenant would share: its concept pairs seen together at least {@code minCount} times, as payloads keyed by
 * pattern id. Memories, messages, descriptions and times never enter a pattern. Concepts of the types that name people
 * or hold free text (person, session, decision) and compounds are never shared. Stateless.
 */
final class SharedPairs {
    static final Set<String> PRIVATE_TYPES = Set.of("person", "session", MemoryEngine.DECISION_TYPE);

    private SharedPairs() {}

    /** One shareable pair with its co-occurrence count. */
    record Pair(PatternPayload payload, int count) {}

    static Map<String, Pair> of(final ContinuumCore core, final String tenant, final int minCount, final GroupKey key) {
        final Map<String, Delta.ConceptDelta> concepts = new HashMap<>();
        final List<Delta.LinkDelta> links = new java.util.ArrayList<>();
        core.snapshot(tenant, delta -> {
            for (final Delta.ConceptDelta c : delta.concepts()) {
                concepts.put(c.key(), c);
            }
            for (final Delta.LinkDelta l : delta.links()) {
                if (l.count() >= minCount) {
                    links.add(l);
                }
            }
        });
        final Map<String, Pair> out = new LinkedHashMap<>();
        for (final Delta.LinkDelta l : links) {
            final Delta.ConceptDelta a = concepts.get(l.a());
            final Delta.ConceptDelta b = concepts.get(l.b());
            if (a == null || b == null || PRIVATE_TYPES.contains(a.type()) || PRIVATE_TYPES.contains(b.type())) {
                continue;
            }
            final PatternPayload payload =
                    PatternPayload.of(a.key(), a.displayName(), b.key(), b.displayName(), StrengthBucket.of(l.count()));
            out.put(key.patternId(payload.keyA(), payload.keyB()), new Pair(payload, l.count()));
        }
        return out;
    }
}
