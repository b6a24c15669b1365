package ai.continuum.server.storage;

import ai.continuum.engine.ConceptKeys;
import ai.continuum.engine.Delta;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builds learn-like deltas for storage tests and compares deltas independently of list order. */
final class Deltas {
    private Deltas() {}

    /** What learning one turn mentioning {@code names} at {@code timeMillis} produces. */
    static Delta turn(final long memoryId, final long timeMillis, final String userText, final String... names) {
        final TreeMap<String, String> byKey = new TreeMap<>();
        for (final String n : names) {
            byKey.putIfAbsent(ConceptKeys.normalize(n), n);
        }
        final List<Delta.ConceptDelta> concepts = new ArrayList<>();
        byKey.forEach(
                (k, n) -> concepts.add(new Delta.ConceptDelta(k, n, "concept", "Extracted from user", timeMillis)));
        final List<String> keys = new ArrayList<>(byKey.keySet());
        final List<Delta.LinkDelta> links = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                links.add(new Delta.LinkDelta(keys.get(i), keys.get(j), 1, timeMillis));
            }
        }
        final List<Delta.CompoundDelta> compounds =
                keys.size() >= 2 ? List.of(new Delta.CompoundDelta(keys, 1, timeMillis)) : List.of();
        final Delta.MemoryDelta memory = new Delta.MemoryDelta(
                memoryId,
                "session-1",
                userText,
                "I will remember " + String.join(", ", names) + ".",
                "",
                "{\"source\":\"test\"}",
                timeMillis,
                keys);
        final Delta.DecisionDelta decision =
                new Delta.DecisionDelta(memoryId, 0, "remember " + names.length + " things", timeMillis);
        return new Delta(concepts, links, compounds, List.of(memory), List.of(decision));
    }

    /** The merge of {@code deltas} with every list sorted by identity, for order-independent equality. */
    static Delta normalized(final Collection<Delta> deltas) {
        final Delta m = Delta.merge(deltas);
        final List<Delta.ConceptDelta> concepts = new ArrayList<>(m.concepts());
        concepts.sort(Comparator.comparing(Delta.ConceptDelta::key));
        final List<Delta.LinkDelta> links = new ArrayList<>(m.links());
        links.sort(Comparator.comparing(Delta.LinkDelta::a).thenComparing(Delta.LinkDelta::b));
        final List<Delta.CompoundDelta> compounds = new ArrayList<>(m.compounds());
        compounds.sort(Comparator.comparing(Delta.CompoundDelta::joinedKey));
        final List<Delta.DecisionDelta> decisions = new ArrayList<>(m.decisions());
        decisions.sort(
                Comparator.comparingLong(Delta.DecisionDelta::memoryId).thenComparingInt(Delta.DecisionDelta::ordinal));
        return new Delta(concepts, links, compounds, m.memories(), decisions);
    }

    /** Everything {@code storage} loads, per tenant, normalised. */
    static Map<String, Delta> loaded(final Storage storage) {
        final Map<String, List<Delta>> chunks = new TreeMap<>();
        storage.load((tenant, delta) ->
                chunks.computeIfAbsent(tenant, t -> new ArrayList<>()).add(delta));
        final Map<String, Delta> out = new TreeMap<>();
        chunks.forEach((tenant, list) -> out.put(tenant, normalized(list)));
        return out;
    }

    static SortedSet<String> keys(final Delta d) {
        final TreeSet<String> out = new TreeSet<>();
        d.concepts().forEach(c -> out.add(c.key()));
        return out;
    }
}
