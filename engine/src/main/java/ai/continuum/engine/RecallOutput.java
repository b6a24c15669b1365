package ai.continuum.engine;

import ai.continuum.engine.store.MemoryTable;
import ai.continuum.engine.store.TextChars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A recall's answer written into arrays and character buffers that its owner reuses from one recall to the next
 * ({@link MemoryEngine#recall(String, String, int, int, boolean, RecallOutput)}): the concepts' names and the memories'
 * texts are decoded from the store into buffers that are kept, so once they have grown to the workload a recall
 * allocates nothing for its answer. The HTTP layer writes its JSON from one of these; {@link #toResult()} makes the
 * values a caller keeps.
 *
 * <p>What it holds is valid until the next recall into it. One thread at a time. {@link #trim()} gives back what an
 * unusually large answer grew, so a pooled output does not keep it.
 */
public final class RecallOutput implements RecallAnswer {
    /** Places kept between recalls by {@link #trim()}; the defaults return 10 concepts and 5 memories. */
    static final int RETAINED_PLACES = 16;
    /** Characters a text buffer may keep between recalls ({@link #trim()}). */
    static final int RETAINED_CHARS = 4096;

    /**
     * Whether memories' thinking and metadata are decoded too: the values a caller keeps carry them
     * ({@link #toResult()}), an answer shown to a client does not ({@link #shownTextsOnly()}).
     */
    private final boolean allTexts;

    private int capacity;
    private long queryNanos;

    private int conceptCount;
    /** Each place's name buffer, made when the place is first used. */
    private TextChars[] nameChars = new TextChars[RETAINED_PLACES];
    /** The name at each place: its buffer, or a string (a compound's name). */
    private CharSequence[] conceptNames = new CharSequence[RETAINED_PLACES];

    private String[] conceptTypes = new String[RETAINED_PLACES];
    private String[] conceptDescriptions = new String[RETAINED_PLACES];
    private double[] relevance = new double[RETAINED_PLACES];
    private RecallResult.Source[] sources = new RecallResult.Source[RETAINED_PLACES];
    private int[] depths = new int[RETAINED_PLACES];

    private int relationshipCount;
    /** Concept places of each relationship's ends. */
    private int[] relationshipFrom = new int[RETAINED_PLACES];

    private int[] relationshipTo = new int[RETAINED_PLACES];
    private String[] relationshipTypes = new String[RETAINED_PLACES];
    private double[] strengths = new double[RETAINED_PLACES];

    private int memoryCount;
    /** Each place's buffers for the memory's {@link MemoryTable#STRINGS} texts, made when the place is first used. */
    private TextChars[][] texts = new TextChars[RETAINED_PLACES][];

    private long[] memoryIds = new long[RETAINED_PLACES];
    private long[] times = new long[RETAINED_PLACES];
    private double[] scores = new double[RETAINED_PLACES];
    private double[] lexical = new double[RETAINED_PLACES];
    private double[] graph = new double[RETAINED_PLACES];
    private double[] neighbour = new double[RETAINED_PLACES];
    private double[] linked = new double[RETAINED_PLACES];
    private double[] semantic = new double[RETAINED_PLACES];
    private boolean[] inTime = new boolean[RETAINED_PLACES];
    private boolean[] newer = new boolean[RETAINED_PLACES];

    /** An output that decodes every text of a memory, so that {@link #toResult()} can give whole memories. */
    public RecallOutput() {
        this(true);
    }

    private RecallOutput(final boolean allTexts) {
        this.allTexts = allTexts;
    }

    /**
     * An output that decodes only what an answer shows (each memory's session id, user and assistant texts: not its
     * thinking nor its metadata, which can be long and which no answer returns); {@link #toResult()} refuses.
     */
    public static RecallOutput shownTextsOnly() {
        return new RecallOutput(false);
    }

    /** Empties the output for a recall whose context block holds {@code capacity} items per section at most. */
    void start(final int capacity) {
        this.capacity = capacity;
        conceptCount = 0;
        relationshipCount = 0;
        memoryCount = 0;
        queryNanos = 0;
    }

    void finish(final long queryNanos) {
        this.queryNanos = queryNanos;
    }

    /** The buffer the next concept's name is decoded into, before {@link #addConcept}. */
    TextChars nextConceptName() {
        growConcepts();
        TextChars chars = nameChars[conceptCount];
        if (chars == null) {
            chars = new TextChars();
            nameChars[conceptCount] = chars;
        }
        return chars;
    }

    /** Adds a concept at the next place; returns the place. */
    int addConcept(
            final CharSequence name,
            final String type,
            final String description,
            final double relevance,
            final RecallResult.Source source,
            final int depth) {
        growConcepts();
        final int place = conceptCount++;
        conceptNames[place] = name;
        conceptTypes[place] = type;
        conceptDescriptions[place] = description;
        this.relevance[place] = relevance;
        sources[place] = source;
        depths[place] = depth;
        return place;
    }

    /** Adds a relationship between the concepts at places {@code from} and {@code to}. */
    void addRelationship(final int from, final int to, final String type, final double strength) {
        if (relationshipCount == relationshipFrom.length) {
            final int n = relationshipCount * 2;
            relationshipFrom = Arrays.copyOf(relationshipFrom, n);
            relationshipTo = Arrays.copyOf(relationshipTo, n);
            relationshipTypes = Arrays.copyOf(relationshipTypes, n);
            strengths = Arrays.copyOf(strengths, n);
        }
        final int place = relationshipCount++;
        relationshipFrom[place] = from;
        relationshipTo[place] = to;
        relationshipTypes[place] = type;
        strengths[place] = strength;
    }

    /**
     * The buffers the next memory's texts are decoded into ({@link MemoryTable#readText(int, TextChars[],
     * ai.continuum.engine.store.DecodeBuffer)}), before {@link #addMemory}.
     */
    TextChars[] nextMemoryTexts() {
        growMemories();
        TextChars[] place = texts[memoryCount];
        if (place == null) {
            place = new TextChars[MemoryTable.STRINGS]; // a null text is skipped, not decoded
            for (int i = 0; i < place.length; i++) {
                if (allTexts || (i != MemoryTable.THINKING && i != MemoryTable.METADATA)) {
                    place[i] = new TextChars();
                }
            }
            texts[memoryCount] = place;
        }
        return place;
    }

    /** Adds the memory whose texts {@link #nextMemoryTexts()} holds at the next place. */
    void addMemory(
            final long id,
            final long timeMillis,
            final double score,
            final RecallScratch s,
            final int slot,
            final boolean newerStatement) {
        growMemories();
        final int place = memoryCount++;
        memoryIds[place] = id;
        times[place] = timeMillis;
        scores[place] = score;
        lexical[place] = s.memoryLexical[slot];
        graph[place] = s.memoryScore[slot];
        neighbour[place] = s.memoryNeighbour[slot];
        linked[place] = s.linked(slot);
        semantic[place] = s.memorySemantic[slot];
        inTime[place] = s.memoryInTime[slot];
        newer[place] = newerStatement;
    }

    private void growConcepts() {
        if (conceptCount < conceptNames.length) {
            return;
        }
        final int n = conceptNames.length * 2;
        nameChars = Arrays.copyOf(nameChars, n);
        conceptNames = Arrays.copyOf(conceptNames, n);
        conceptTypes = Arrays.copyOf(conceptTypes, n);
        conceptDescriptions = Arrays.copyOf(conceptDescriptions, n);
        relevance = Arrays.copyOf(relevance, n);
        sources = Arrays.copyOf(sources, n);
        depths = Arrays.copyOf(depths, n);
    }

    private void growMemories() {
        if (memoryCount < memoryIds.length) {
            return;
        }
        final int n = memoryIds.length * 2;
        texts = Arrays.copyOf(texts, n);
        memoryIds = Arrays.copyOf(memoryIds, n);
        times = Arrays.copyOf(times, n);
        scores = Arrays.copyOf(scores, n);
        lexical = Arrays.copyOf(lexical, n);
        graph = Arrays.copyOf(graph, n);
        neighbour = Arrays.copyOf(neighbour, n);
        linked = Arrays.copyOf(linked, n);
        semantic = Arrays.copyOf(semantic, n);
        inTime = Arrays.copyOf(inTime, n);
        newer = Arrays.copyOf(newer, n);
    }

    /**
     * Gives back what an unusually large answer grew (places beyond {@link #RETAINED_PLACES}, text buffers beyond
     * {@link #RETAINED_CHARS}) and drops the references to the last answer's strings; the answer is gone after it.
     */
    public void trim() {
        start(0);
        if (conceptNames.length > RETAINED_PLACES) {
            nameChars = Arrays.copyOf(nameChars, RETAINED_PLACES);
            conceptNames = new CharSequence[RETAINED_PLACES];
            conceptTypes = new String[RETAINED_PLACES];
            conceptDescriptions = new String[RETAINED_PLACES];
            relevance = new double[RETAINED_PLACES];
            sources = new RecallResult.Source[RETAINED_PLACES];
            depths = new int[RETAINED_PLACES];
        } else {
            Arrays.fill(conceptNames, null);
            Arrays.fill(conceptDescriptions, null);
        }
        if (relationshipFrom.length > RETAINED_PLACES) {
            relationshipFrom = new int[RETAINED_PLACES];
            relationshipTo = new int[RETAINED_PLACES];
            relationshipTypes = new String[RETAINED_PLACES];
            strengths = new double[RETAINED_PLACES];
        }
        if (memoryIds.length > RETAINED_PLACES) {
            texts = Arrays.copyOf(texts, RETAINED_PLACES);
            memoryIds = new long[RETAINED_PLACES];
            times = new long[RETAINED_PLACES];
            scores = new double[RETAINED_PLACES];
            lexical = new double[RETAINED_PLACES];
            graph = new double[RETAINED_PLACES];
            neighbour = new double[RETAINED_PLACES];
            linked = new double[RETAINED_PLACES];
            semantic = new double[RETAINED_PLACES];
            inTime = new boolean[RETAINED_PLACES];
            newer = new boolean[RETAINED_PLACES];
        }
        for (final TextChars chars : nameChars) {
            if (chars != null) {
                chars.release(RETAINED_CHARS);
            }
        }
        for (final TextChars[] place : texts) {
            if (place != null) {
                for (final TextChars chars : place) {
                    if (chars != null) {
                        chars.release(RETAINED_CHARS);
                    }
                }
            }
        }
    }

    /**
     * The answer as values a caller may keep: strings for every text, records for every place.
     *
     * @throws IllegalStateException for an output made by {@link #shownTextsOnly()}, which has no whole memories.
     */
    public RecallResult toResult() {
        if (!allTexts) {
            throw new IllegalStateException("an output of shown texts only has no whole memories to return");
        }
        final List<RecallResult.ConceptHit> concepts = new ArrayList<>(conceptCount);
        for (int i = 0; i < conceptCount; i++) {
            concepts.add(new RecallResult.ConceptHit(
                    conceptNames[i].toString(),
                    conceptTypes[i],
                    conceptDescriptions[i],
                    relevance[i],
                    sources[i],
                    depths[i]));
        }
        final List<RecallResult.Relationship> relationships = new ArrayList<>(relationshipCount);
        for (int i = 0; i < relationshipCount; i++) {
            relationships.add(new RecallResult.Relationship(
                    concepts.get(relationshipFrom[i]).name(),
                    concepts.get(relationshipTo[i]).name(),
                    relationshipTypes[i],
                    strengths[i]));
        }
        final List<RecallResult.MemoryHit> memories = new ArrayList<>(memoryCount);
        for (int i = 0; i < memoryCount; i++) {
            final TextChars[] t = texts[i];
            final Memory m = new Memory(
                    memoryIds[i],
                    t[MemoryTable.SESSION_ID].toString(),
                    t[MemoryTable.USER_TEXT].toString(),
                    t[MemoryTable.AI_TEXT].toString(),
                    t[MemoryTable.THINKING].toString(),
                    t[MemoryTable.METADATA].toString(),
                    times[i],
                    List.of());
            memories.add(new RecallResult.MemoryHit(
                    m,
                    scores[i],
                    new RecallResult.Why(
                            lexical[i], graph[i], neighbour[i], linked[i], semantic[i], inTime[i], newer[i])));
        }
        return new RecallResult(concepts, relationships, memories, capacity, queryNanos);
    }

    @Override
    public void writeContext(final StringBuilder out) {
        ContextBlock.render(this, capacity, out);
    }

    @Override
    public long queryNanos() {
        return queryNanos;
    }

    @Override
    public int conceptCount() {
        return conceptCount;
    }

    @Override
    public CharSequence conceptName(final int place) {
        return conceptNames[checkConcept(place)];
    }

    @Override
    public String conceptType(final int place) {
        return conceptTypes[checkConcept(place)];
    }

    @Override
    public String conceptDescription(final int place) {
        return conceptDescriptions[checkConcept(place)];
    }

    @Override
    public double conceptRelevance(final int place) {
        return relevance[checkConcept(place)];
    }

    @Override
    public RecallResult.Source conceptSource(final int place) {
        return sources[checkConcept(place)];
    }

    @Override
    public int conceptDepth(final int place) {
        return depths[checkConcept(place)];
    }

    @Override
    public int relationshipCount() {
        return relationshipCount;
    }

    @Override
    public CharSequence relationshipFrom(final int place) {
        return conceptNames[relationshipFrom[checkRelationship(place)]];
    }

    @Override
    public CharSequence relationshipTo(final int place) {
        return conceptNames[relationshipTo[checkRelationship(place)]];
    }

    @Override
    public String relationshipType(final int place) {
        return relationshipTypes[checkRelationship(place)];
    }

    @Override
    public double relationshipStrength(final int place) {
        return strengths[checkRelationship(place)];
    }

    @Override
    public int memoryCount() {
        return memoryCount;
    }

    @Override
    public long memoryId(final int place) {
        return memoryIds[checkMemory(place)];
    }

    @Override
    public CharSequence memorySessionId(final int place) {
        return texts[checkMemory(place)][MemoryTable.SESSION_ID];
    }

    @Override
    public CharSequence memoryUserText(final int place) {
        return texts[checkMemory(place)][MemoryTable.USER_TEXT];
    }

    @Override
    public CharSequence memoryAiText(final int place) {
        return texts[checkMemory(place)][MemoryTable.AI_TEXT];
    }

    @Override
    public long memoryTimeMillis(final int place) {
        return times[checkMemory(place)];
    }

    @Override
    public double memoryScore(final int place) {
        return scores[checkMemory(place)];
    }

    @Override
    public double memoryLexical(final int place) {
        return lexical[checkMemory(place)];
    }

    @Override
    public double memoryGraph(final int place) {
        return graph[checkMemory(place)];
    }

    @Override
    public double memorySessionNeighbour(final int place) {
        return neighbour[checkMemory(place)];
    }

    @Override
    public double memoryLinkedTurn(final int place) {
        return linked[checkMemory(place)];
    }

    @Override
    public double memorySemantic(final int place) {
        return semantic[checkMemory(place)];
    }

    @Override
    public boolean memoryInNamedTime(final int place) {
        return inTime[checkMemory(place)];
    }

    @Override
    public boolean memoryNewerStatement(final int place) {
        return newer[checkMemory(place)];
    }

    private int checkConcept(final int place) {
        return java.util.Objects.checkIndex(place, conceptCount);
    }

    private int checkRelationship(final int place) {
        return java.util.Objects.checkIndex(place, relationshipCount);
    }

    private int checkMemory(final int place) {
        return java.util.Objects.checkIndex(place, memoryCount);
    }
}
