package ai.continuum.server.federation.node;

import ai.continuum.engine.ConceptKeys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pulled patterns, indexed by concept key for recall: a side structure next to the engine, never merged into its
 * counts. Immutable; a sync swaps in a new one.
 */
public final class FederatedIndex {
    public static final FederatedIndex EMPTY = new FederatedIndex(List.of());
    /** Query phrases up to this many words are looked up as concept keys. */
    private static final int MAX_PHRASE_WORDS = 4;

    private final List<FederatedStore.Federated> all;
    private final Map<String, List<FederatedStore.Federated>> byConcept = new HashMap<>();

    public FederatedIndex(final Collection<FederatedStore.Federated> patterns) {
        this.all = List.copyOf(patterns);
        for (final FederatedStore.Federated f : all) {
            byConcept.computeIfAbsent(f.conceptA(), k -> new ArrayList<>()).add(f);
            byConcept.computeIfAbsent(f.conceptB(), k -> new ArrayList<>()).add(f);
        }
    }

    public int size() {
        return all.size();
    }

    public List<FederatedStore.Federated> all() {
        return all;
    }

    /**
     * The patterns touching a concept named in {@code message} (any phrase of up to four words) or in
     * {@code recalledNames}, most organisations and strongest first, at most {@code limit}.
     */
    public List<FederatedStore.Federated> matching(
            final String message, final Collection<String> recalledNames, final int limit) {
        if (all.isEmpty() || limit <= 0) {
            return List.of();
        }
        final Set<String> keys = new LinkedHashSet<>();
        for (final String name : recalledNames) {
            keys.add(ConceptKeys.normalize(name));
        }
        final String[] words = ConceptKeys.normalize(message).split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            words[i] = strip(words[i]);
        }
        for (int i = 0; i < words.length; i++) {
            final StringBuilder phrase = new StringBuilder();
            for (int n = 0; n < MAX_PHRASE_WORDS && i + n < words.length; n++) {
                if (n > 0) {
                    phrase.append(' ');
                }
                phrase.append(words[i + n]);
                keys.add(phrase.toString());
            }
        }
        final Set<FederatedStore.Federated> hits = new LinkedHashSet<>();
        for (final String key : keys) {
            hits.addAll(byConcept.getOrDefault(key, List.of()));
        }
        return hits.stream()
                .sorted(Comparator.comparingInt(FederatedStore.Federated::organisations)
                        .thenComparingInt(FederatedStore.Federated::bucket)
                        .reversed()
                        .thenComparing(FederatedStore.Federated::patternId))
                .limit(limit)
                .toList();
    }

    /** A word without the punctuation around it ("rust," is "rust"). */
    private static String strip(final String word) {
        int start = 0;
        int end = word.length();
        while (start < end && !Character.isLetterOrDigit(word.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetterOrDigit(word.charAt(end - 1))) {
            end--;
        }
        return word.substring(start, end);
    }
}
