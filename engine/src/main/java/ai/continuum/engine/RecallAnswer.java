package ai.continuum.engine;

/**
 * What a recall answers, read place by place: the one shape the context block and the HTTP answer are written from,
 * whether the recall was kept as values ({@link RecallResult}) or written into buffers its caller reuses
 * ({@link RecallOutput}). Places are 0-based, best first; texts are {@link CharSequence}s so that a buffer need not
 * become a string to be read.
 */
public interface RecallAnswer {
    /** Time spent inside the engine. */
    long queryNanos();

    int conceptCount();

    CharSequence conceptName(int place);

    String conceptType(int place);

    /** Null or empty when the concept has none. */
    String conceptDescription(int place);

    double conceptRelevance(int place);

    RecallResult.Source conceptSource(int place);

    int conceptDepth(int place);

    int relationshipCount();

    CharSequence relationshipFrom(int place);

    CharSequence relationshipTo(int place);

    String relationshipType(int place);

    double relationshipStrength(int place);

    int memoryCount();

    long memoryId(int place);

    CharSequence memorySessionId(int place);

    CharSequence memoryUserText(int place);

    CharSequence memoryAiText(int place);

    long memoryTimeMillis(int place);

    /** The ranking score ({@link RecallResult.MemoryHit#score()}). */
    double memoryScore(int place);

    /** {@link RecallResult.Why#lexical()} of the memory at {@code place}; the six below are its other fields. */
    double memoryLexical(int place);

    double memoryGraph(int place);

    double memorySessionNeighbour(int place);

    double memoryLinkedTurn(int place);

    double memorySemantic(int place);

    boolean memoryInNamedTime(int place);

    boolean memoryNewerStatement(int place);

    /** Writes the {@code [MEMORY CONTEXT]} block into {@code out} (cleared first), without making a string of it. */
    void writeContext(StringBuilder out);
}
