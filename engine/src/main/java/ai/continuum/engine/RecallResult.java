package ai.continuum.engine;

import java.util.List;

/**
 * What recall found for one query, as values a caller may keep ({@link RecallOutput} is the same answer in reused
 * buffers).
 *
 * <p>The {@code [MEMORY CONTEXT]} block is rendered from the hits when it is asked for ({@link #context()}, then kept),
 * or written into a caller's buffer ({@link #writeContext}) without a string. The hits are plain on-heap values, so
 * rendering later reads nothing of the engine's state.
 */
public final class RecallResult implements RecallAnswer {
    private final List<ConceptHit> concepts;
    private final List<Relationship> relationships;
    private final List<MemoryHit> memories;
    /** Items per section of the context block; unused once {@code context} is set. */
    private final int capacity;

    private final long queryNanos;
    /** The rendered context block, once asked for (a race renders it twice, to equal strings). */
    private String context;

    /**
     * @param concepts      ranked concepts, highest relevance first, at most the requested number.
     * @param relationships links among the returned concepts, strongest first.
     * @param memories      the most relevant stored turns, best first.
     * @param context       the {@code [MEMORY CONTEXT]} block to inject into a prompt; empty when nothing matched.
     * @param queryNanos    time spent inside the engine.
     */
    public RecallResult(
            final List<ConceptHit> concepts,
            final List<Relationship> relationships,
            final List<MemoryHit> memories,
            final String context,
            final long queryNanos) {
        this(concepts, relationships, memories, 0, queryNanos);
        this.context = java.util.Objects.requireNonNull(context, "context");
    }

    /** A result whose context block is rendered on demand, {@code capacity} items per section at most. */
    RecallResult(
            final List<ConceptHit> concepts,
            final List<Relationship> relationships,
            final List<MemoryHit> memories,
            final int capacity,
            final long queryNanos) {
        this.concepts = concepts;
        this.relationships = relationships;
        this.memories = memories;
        this.capacity = capacity;
        this.queryNanos = queryNanos;
    }

    /** Ranked concepts, highest relevance first, at most the requested number. */
    public List<ConceptHit> concepts() {
        return concepts;
    }

    /** Links among the returned concepts, strongest first. */
    public List<Relationship> relationships() {
        return relationships;
    }

    /** The most relevant stored turns, best first. */
    public List<MemoryHit> memories() {
        return memories;
    }

    /** Time spent inside the engine. */
    @Override
    public long queryNanos() {
        return queryNanos;
    }

    /** The {@code [MEMORY CONTEXT]} block to inject into a prompt; empty when nothing matched. */
    public String context() {
        String c = context;
        if (c == null) {
            final StringBuilder out = new StringBuilder();
            ContextBlock.render(this, capacity, out);
            c = out.toString();
            context = c;
        }
        return c;
    }

    /** Writes {@link #context()} into {@code out} (cleared first), without making a string of it. */
    @Override
    public void writeContext(final StringBuilder out) {
        out.setLength(0);
        final String c = context;
        if (c != null) {
            out.append(c);
        } else {
            ContextBlock.render(this, capacity, out);
        }
    }

    @Override
    public int conceptCount() {
        return concepts.size();
    }

    @Override
    public CharSequence conceptName(final int place) {
        return concepts.get(place).name();
    }

    @Override
    public String conceptType(final int place) {
        return concepts.get(place).type();
    }

    @Override
    public String conceptDescription(final int place) {
        return concepts.get(place).description();
    }

    @Override
    public double conceptRelevance(final int place) {
        return concepts.get(place).relevance();
    }

    @Override
    public Source conceptSource(final int place) {
        return concepts.get(place).source();
    }

    @Override
    public int conceptDepth(final int place) {
        return concepts.get(place).depth();
    }

    @Override
    public int relationshipCount() {
        return relationships.size();
    }

    @Override
    public CharSequence relationshipFrom(final int place) {
        return relationships.get(place).from();
    }

    @Override
    public CharSequence relationshipTo(final int place) {
        return relationships.get(place).to();
    }

    @Override
    public String relationshipType(final int place) {
        return relationships.get(place).type();
    }

    @Override
    public double relationshipStrength(final int place) {
        return relationships.get(place).strength();
    }

    @Override
    public int memoryCount() {
        return memories.size();
    }

    @Override
    public long memoryId(final int place) {
        return memories.get(place).memory().id();
    }

    @Override
    public CharSequence memorySessionId(final int place) {
        return memories.get(place).memory().sessionId();
    }

    @Override
    public CharSequence memoryUserText(final int place) {
        return memories.get(place).memory().userText();
    }

    @Override
    public CharSequence memoryAiText(final int place) {
        return memories.get(place).memory().aiText();
    }

    @Override
    public long memoryTimeMillis(final int place) {
        return memories.get(place).memory().timeMillis();
    }

    @Override
    public double memoryScore(final int place) {
        return memories.get(place).score();
    }

    @Override
    public double memoryLexical(final int place) {
        return memories.get(place).why().lexical();
    }

    @Override
    public double memoryGraph(final int place) {
        return memories.get(place).why().graph();
    }

    @Override
    public double memorySessionNeighbour(final int place) {
        return memories.get(place).why().sessionNeighbour();
    }

    @Override
    public double memoryLinkedTurn(final int place) {
        return memories.get(place).why().linkedTurn();
    }

    @Override
    public double memorySemantic(final int place) {
        return memories.get(place).why().semantic();
    }

    @Override
    public boolean memoryInNamedTime(final int place) {
        return memories.get(place).why().inNamedTime();
    }

    @Override
    public boolean memoryNewerStatement(final int place) {
        return memories.get(place).why().newerStatement();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof RecallResult r
                && concepts.equals(r.concepts)
                && relationships.equals(r.relationships)
                && memories.equals(r.memories)
                && context().equals(r.context())
                && queryNanos == r.queryNanos;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(concepts, relationships, memories, context(), queryNanos);
    }

    @Override
    public String toString() {
        return "RecallResult[concepts=" + concepts + ", relationships=" + relationships + ", memories=" + memories
                + ", context=" + context() + ", queryNanos=" + queryNanos + "]";
    }

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
            String name, String type, String description, double relevance, Source source, int depth) {}

    public record Relationship(String from, String to, String type, double strength) {}

    /**
     * A memory recall found. Its {@link Memory#concepts()} is empty: recall does not decode the names of every
     * concept of every memory it returns ({@link MemoryEngine#memory} gives the full memory).
     *
     * @param score the ranking score: the sum of {@code why}'s evidence, doubled when the memory is in the time the
     *              query names. The order can differ from the scores' where a newer statement of the same thing was
     *              moved above an older one ({@link Why#newerStatement()}).
     * @param why   why this memory was chosen.
     */
    public record MemoryHit(Memory memory, double score, Why why) {}

    /**
     * The evidence behind one returned memory, so a bad recall can be debugged.
     *
     * @param lexical          BM25 over the query words the memory contains.
     * @param graph            activation of the concepts the memory mentions, reached from the query's concepts.
     * @param sessionNeighbour share of a strongly matching turn next to it in its session.
     * @param linkedTurn       share of a strongly matching memory that mentions a rare concept this one also
     *                         mentions (the next hop of a multi-part answer).
     * @param semantic         cosine of the memory's sentence vector to the query's, scaled against the recall's best
     *                         lexical and graph evidence (0 without a semantic index).
     * @param inNamedTime      whether the memory's time is in the time the query names ("in March 2023", "the week
     *                         after the party").
     * @param newerStatement   whether it was ranked above an older memory that matches the same query words, as the
     *                         newer statement of the same fact.
     */
    public record Why(
            double lexical,
            double graph,
            double sessionNeighbour,
            double linkedTurn,
            double semantic,
            boolean inNamedTime,
            boolean newerStatement) {

        /** The kinds of evidence that contributed, as the API names them. */
        public List<String> reasons() {
            final List<String> out = new java.util.ArrayList<>(7);
            if (lexical > 0) {
                out.add("lexical");
            }
            if (graph > 0) {
                out.add("graph");
            }
            if (sessionNeighbour > 0) {
                out.add("session_neighbour");
            }
            if (linkedTurn > 0) {
                out.add("linked_turn");
            }
            if (semantic > 0) {
                out.add("semantic");
            }
            if (inNamedTime) {
                out.add("named_time");
            }
            if (newerStatement) {
                out.add("newer_statement");
            }
            return out;
        }
    }
}
