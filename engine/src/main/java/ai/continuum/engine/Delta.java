package ai.continuum.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A change to one tenant's state, expressed so that deltas merge: counts add, times take the maximum, concept
 * identity takes the earliest sighting, memories and decisions are sets keyed by id. Applying a set of deltas in any
 * order, or their {@link #merge merge} at once, yields the same state (see {@link MemoryEngine#checksum}).
 *
 * <p>Concept names inside a delta are <em>keys</em>: {@link ConceptKeys#normalize normalised} (lower-cased with
 * {@code Locale.ROOT}); the display spelling travels in {@link ConceptDelta#displayName}.
 *
 * <p>A delta is a plain immutable value: learn produces it, the engine applies it, storage persists it, a rebuild or
 * an import replays it.
 */
public record Delta(
        List<ConceptDelta> concepts,
        List<LinkDelta> links,
        List<CompoundDelta> compounds,
        List<MemoryDelta> memories,
        List<DecisionDelta> decisions) {

    public static final Delta EMPTY = new Delta(List.of(), List.of(), List.of(), List.of(), List.of());

    public Delta {
        concepts = List.copyOf(concepts);
        links = List.copyOf(links);
        compounds = List.copyOf(compounds);
        memories = List.copyOf(memories);
        decisions = List.copyOf(decisions);
    }

    public boolean isEmpty() {
        return concepts.isEmpty()
                && links.isEmpty()
                && compounds.isEmpty()
                && memories.isEmpty()
                && decisions.isEmpty();
    }

    /**
     * A concept sighting. Merge keeps the earliest {@code firstSeenMillis}; on a tie the smaller display name (by
     * code point), so the result never depends on arrival order.
     *
     * @param key             normalised name, the identity within a tenant.
     * @param displayName     spelling as first seen.
     * @param type            one of concept, decision, session, person, project, tool, topic.
     * @param description     e.g. "Extracted from user".
     * @param firstSeenMillis epoch milliseconds of the sighting.
     */
    public record ConceptDelta(String key, String displayName, String type, String description, long firstSeenMillis) {
        public ConceptDelta {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(displayName, "displayName");
            type = type == null || type.isEmpty() ? "concept" : type;
            description = description == null ? "" : description;
        }

        ConceptDelta mergeWith(final ConceptDelta other) {
            return precedes(this, other) ? this : other;
        }

        static boolean precedes(final ConceptDelta a, final ConceptDelta b) {
            if (a.firstSeenMillis != b.firstSeenMillis) {
                return a.firstSeenMillis < b.firstSeenMillis;
            }
            final int byName = a.displayName.compareTo(b.displayName);
            if (byName != 0) {
                return byName < 0;
            }
            final int byType = a.type.compareTo(b.type);
            return byType != 0 ? byType < 0 : a.description.compareTo(b.description) <= 0;
        }
    }

    /**
     * Co-occurrences of two concepts. {@code a < b} by {@code String.compareTo}; the constructor orders them.
     *
     * @param count          co-occurrences to add, >= 1.
     * @param lastSeenMillis latest co-occurrence; merge keeps the maximum.
     */
    public record LinkDelta(String a, String b, int count, long lastSeenMillis) {
        public LinkDelta {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
            if (a.equals(b)) {
                throw new IllegalArgumentException("a link needs two different concepts, got '" + a + "' twice");
            }
            if (count < 1) {
                throw new IllegalArgumentException("count=" + count + " must be >= 1");
            }
            if (a.compareTo(b) > 0) {
                final String t = a;
                a = b;
                b = t;
            }
        }
    }

    /**
     * Co-occurrence of a set of concepts in one turn.
     *
     * @param components normalised keys, sorted by code point, at least two, no duplicates.
     */
    public record CompoundDelta(List<String> components, int count, long lastSeenMillis) {
        public CompoundDelta {
            components = List.copyOf(components);
            if (components.size() < 2) {
                throw new IllegalArgumentException("a compound needs at least two components, got " + components);
            }
            for (int i = 1; i < components.size(); i++) {
                if (components.get(i - 1).compareTo(components.get(i)) >= 0) {
                    throw new IllegalArgumentException(
                            "compound components must be sorted and distinct: " + components);
                }
            }
            if (count < 1) {
                throw new IllegalArgumentException("count=" + count + " must be >= 1");
            }
        }

        public String joinedKey() {
            return String.join("\u001f", components);
        }
    }

    /**
     * A stored turn. Identity is {@code id}: an id names exactly one memory (the caller never reuses it for other
     * content), so a memory that is already present is left as it is.
     *
     * @param concepts normalised keys of the concepts the turn mentions, the memory's postings.
     */
    public record MemoryDelta(
            long id,
            String sessionId,
            String userText,
            String aiText,
            String thinking,
            String metadata,
            long timeMillis,
            List<String> concepts) {
        public MemoryDelta {
            if (id <= 0) {
                throw new IllegalArgumentException("memory id=" + id + " must be positive");
            }
            sessionId = sessionId == null ? "" : sessionId;
            userText = userText == null ? "" : userText;
            aiText = aiText == null ? "" : aiText;
            thinking = thinking == null ? "" : thinking;
            metadata = metadata == null ? "" : metadata;
            concepts = List.copyOf(concepts);
        }
    }

    /** A decision sentence found in the assistant's text of memory {@code memoryId}; identity is (memoryId, ordinal). */
    public record DecisionDelta(long memoryId, int ordinal, String text, long timeMillis) {
        public DecisionDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The merge of any number of deltas: the single delta whose application equals applying each of them once.
     *
     * <p>Each item is keyed by its identity as a value (its endpoints, its components, its memory id and ordinal), not
     * by a string joined from it: the storage writer merges every batch it commits, and joining made a new string, and
     * hashed it, per link and decision of every delta.
     */
    public static Delta merge(final Collection<Delta> deltas) {
        final Map<String, ConceptDelta> concepts = new LinkedHashMap<>();
        final Map<Endpoints, LinkDelta> links = new LinkedHashMap<>();
        final Map<List<String>, CompoundDelta> compounds = new LinkedHashMap<>();
        final Map<Long, MemoryDelta> memories = new LinkedHashMap<>();
        final Map<DecisionId, DecisionDelta> decisions = new LinkedHashMap<>();
        for (final Delta d : deltas) {
            for (final ConceptDelta c : d.concepts) {
                concepts.merge(c.key(), c, ConceptDelta::mergeWith);
            }
            for (final LinkDelta l : d.links) {
                links.merge(
                        new Endpoints(l.a(), l.b()),
                        l,
                        (x, y) -> new LinkDelta(
                                x.a(),
                                x.b(),
                                Math.addExact(x.count(), y.count()),
                                Math.max(x.lastSeenMillis(), y.lastSeenMillis())));
            }
            for (final CompoundDelta c : d.compounds) {
                compounds.merge(
                        c.components(),
                        c,
                        (x, y) -> new CompoundDelta(
                                x.components(),
                                Math.addExact(x.count(), y.count()),
                                Math.max(x.lastSeenMillis(), y.lastSeenMillis())));
            }
            for (final MemoryDelta m : d.memories) {
                memories.putIfAbsent(m.id(), m);
            }
            for (final DecisionDelta dd : d.decisions) {
                decisions.putIfAbsent(new DecisionId(dd.memoryId(), dd.ordinal()), dd);
            }
        }
        final List<MemoryDelta> mergedMemories = new ArrayList<>(memories.values());
        mergedMemories.sort(Comparator.comparingLong(MemoryDelta::id));
        return new Delta(
                new ArrayList<>(concepts.values()),
                new ArrayList<>(links.values()),
                new ArrayList<>(compounds.values()),
                mergedMemories,
                new ArrayList<>(decisions.values()));
    }

    /** A link's identity: its endpoints, in the order {@link LinkDelta} puts them. */
    private record Endpoints(String a, String b) {}

    /** A decision's identity. */
    private record DecisionId(long memoryId, int ordinal) {}
}
