package ai.continuum.engine;

import java.util.List;

/**
 * What recall found for one query.
 *
 * @param concepts      ranked concepts, highest relevance first, at most the requested number.
 * @param relationships links among the returned concepts, strongest first.
 * @param memories      the most relevant stored turns, best first.
 * @param context       the {@code [MEMORY CONTEXT]} block to inject into a prompt; empty when nothing matched.
 * @param queryNanos    time spent inside the engine.
 */
public record RecallResult(
        List<ConceptHit> concepts, List<Relationship> relationships, List<MemoryHit> memories, String context,
        long queryNanos) {

    /** How a concept came into the result. */
    public enum Source {
        /** Named by the query (exact or partial match), depth 0. */
        DIRECT,
        /** Reached by spreading activation. */
        GRAPH_NEIGHBOR,
        /** A compound containing a query concept. */
        COMPOUND;

        public String wireName() {
            return switch (this) {
                case DIRECT -> "direct";
                case GRAPH_NEIGHBOR -> "graph_neighbor";
                case COMPOUND -> "compound";
            };
        }
    }

    public record ConceptHit(
            String name, String type, String description, double relevance, Source source, int depth) {
    }

    public record Relationship(String from, String to, String type, double strength) {
    }

    /**
     * A memory recall found. Its {@link Memory#concepts()} is empty: recall does not decode the names of every
     * concept of every memory it returns ({@link MemoryEngine#memory} gives the full memory).
     */
    public record MemoryHit(Memory memory, double score) {
    }
}
