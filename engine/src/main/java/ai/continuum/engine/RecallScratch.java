package ai.continuum.engine;

import ai.continuum.engine.extract.QueryTerms;
import ai.continuum.engine.extract.TermList;
import ai.continuum.engine.semantic.VectorCentre;
import ai.continuum.engine.store.ConceptGraph;
import ai.continuum.engine.store.DecodeBuffer;
import ai.continuum.engine.store.StringIndex;
import ai.continuum.engine.store.WordIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntArrayList;

/**
 * Reusable working memory of one recall: activations, frontiers, neighbour copies, memory scores. Pooled by the
 * engine and used by one thread at a time, so the graph walk allocates nothing once the arrays have grown to the
 * workload.
 */
final class RecallScratch {
    /** No slot: what the slot maps answer for a key they do not hold, so their answers compare with it. */
    static final int MISSING = SlotMap.MISSING;
    /** {@link #memoryTime} of a memory whose time was not read yet (no turn time is this small). */
    static final long UNREAD_TIME = Long.MIN_VALUE;

    final StringIndex.Probe probe = new StringIndex.Probe();
    final WordIndex.Probe wordProbe;
    final WordIndex.Probe termProbe;

    /** concept id -> slot in the arrays below ({@link #concept} names each slot's id). */
    final SlotMap slotOf = new SlotMap(256);

    int slots;
    int[] concept = new int[256];
    double[] activation = new double[256];
    int[] depth = new int[256];
    /** Whether the slot was named by the query (exact or partial), not reached by the walk. */
    boolean[] direct = new boolean[256];

    /** Slots to expand at this hop, each once. */
    int[] frontier = new int[256];

    int frontierSize;
    /** Slots to expand at the next hop, each once. */
    int[] next = new int[256];

    int nextSize;
    /** The hop whose next frontier holds the slot, -1 for none: a slot raised twice in one hop is expanded once. */
    int[] queuedAt = new int[256];

    /** Work array of {@link #kthActivation}, highest first. */
    double[] bestActivations = new double[64];

    int[] neighbours;
    int[] linkIds;
    int[] counts;
    int[] postings = new int[256];
    int[] ranked = new int[256];

    /** memory index -> slot in the memory arrays ({@link #memory} names each slot's index). */
    final SlotMap memorySlotOf = new SlotMap(256);

    int memorySlots;
    int[] memory = new int[256];
    /** Evidence from the graph (activations of the concepts a memory mentions). */
    double[] memoryScore = new double[256];
    /** Evidence from the words the query shares with the memory (BM25). */
    double[] memoryLexical = new double[256];
    /** Score shared by a strongly matching turn next to the memory in its session. */
    double[] memoryNeighbour = new double[256];
    /** Score shared by a strongly matching memory over a rare concept both mention (the next hop of an answer). */
    double[] memoryLinked = new double[256];
    /** Best score of a memory that lent it a linked share: links place a memory after its source, never above. */
    double[] memoryLinkCap = new double[256];
    /** Evidence from the sentence vectors (cosine to the query's, scaled). */
    double[] memorySemantic = new double[256];
    /** Bit q set when the memory contains query term q (q < 64): memories with equal masks state the same thing. */
    long[] memoryTermMask = new long[256];
    /** Per query term (the bits of {@link #memoryTermMask}): how many memories contain it, 0 when none. */
    final int[] queryTermDf = new int[Long.SIZE];
    /** Whether the memory's time is in the window the query names ({@link Recaller}). */
    boolean[] memoryInTime = new boolean[256];
    /**
     * The memory's turn time, read from the memory table on first need ({@link #UNREAD_TIME} until then): ranking
     * breaks every tie of scores on it, and on names shared by many turns whole runs of memories tie, each read
     * costing a cache miss in the off-heap table.
     */
    long[] memoryTime = new long[256];

    final ConceptGraph.PairProbe pairProbe;

    RecallScratch(
            final int neighboursPerHop,
            final ConceptGraph.PairProbe pairProbe,
            final WordIndex.Probe wordProbe,
            final WordIndex.Probe termProbe) {
        this.pairProbe = pairProbe;
        this.wordProbe = wordProbe;
        this.termProbe = termProbe;
        neighbours = new int[neighboursPerHop];
        linkIds = new int[neighboursPerHop];
        counts = new int[neighboursPerHop];
    }

    void reset() {
        centre = null;
        slotOf.clear(concept);
        slots = 0;
        frontierSize = 0;
        nextSize = 0;
        memorySlotOf.clear(memory);
        memorySlots = 0;
        forgetLeaders();
    }

    /**
     * Raises the activation of {@code id} to {@code value} if higher; returns the concept's slot when it changed,
     * {@link #MISSING} when it did not.
     */
    int activate(final int id, final double value, final int hops, final boolean named) {
        final int slot = slotOf.getOrPut(id, slots);
        if (slot == MISSING) {
            if (slots == concept.length) {
                growSlots();
            }
            concept[slots] = id;
            activation[slots] = value;
            depth[slots] = hops;
            direct[slots] = named;
            queuedAt[slots] = -1;
            return slots++;
        }
        if (value > activation[slot]) {
            activation[slot] = value;
            depth[slot] = hops;
            direct[slot] = named || (direct[slot] && hops == 0);
            return slot;
        }
        return MISSING;
    }

    /**
     * Queues {@code slot} for expansion after {@code hop}, unless it is queued already: the walk reads a slot's
     * activation when it expands it, so a second entry would only read the same neighbours again.
     */
    void pushNext(final int slot, final int hop) {
        if (queuedAt[slot] == hop) {
            return;
        }
        queuedAt[slot] = hop;
        if (nextSize == next.length) {
            next = Arrays.copyOf(next, next.length * 2);
        }
        next[nextSize++] = slot;
    }

    /**
     * The {@code k}-th highest activation of the slots, or 0 when fewer than {@code k} slots are active. A bounded
     * insertion into {@link #bestActivations}: once it is full most slots lose to its last place in one comparison.
     */
    double kthActivation(final int k) {
        if (slots < k) {
            return 0.0;
        }
        if (bestActivations.length < k) {
            bestActivations = new double[k];
        }
        final double[] best = bestActivations;
        int filled = 0;
        for (int slot = 0; slot < slots; slot++) {
            final double a = activation[slot];
            if (filled == k && a <= best[k - 1]) {
                continue;
            }
            int i = filled < k ? filled++ : k - 1;
            while (i > 0 && best[i - 1] < a) {
                best[i] = best[i - 1];
                i--;
            }
            best[i] = a;
        }
        return best[k - 1];
    }

    /** The next frontier becomes the current one. */
    void advance() {
        final int[] t = frontier;
        frontier = next;
        frontierSize = nextSize;
        next = t;
        nextSize = 0;
    }

    /** Adds graph and lexical evidence to a memory, giving it a slot on first sight; returns the slot. */
    int addMemoryScore(final int memoryIndex, final double graphScore, final double lexicalScore) {
        int slot = memorySlotOf.getOrPut(memoryIndex, memorySlots);
        if (slot == MISSING) {
            if (memorySlots == memory.length) {
                growMemorySlots();
            }
            slot = memorySlots++;
            memory[slot] = memoryIndex;
            memoryScore[slot] = 0;
            memoryLexical[slot] = 0;
            memoryNeighbour[slot] = 0;
            memoryLinked[slot] = 0;
            memoryLinkCap[slot] = 0;
            memorySemantic[slot] = 0;
            memoryTermMask[slot] = 0;
            memoryInTime[slot] = false;
            memoryTime[slot] = UNREAD_TIME;
            touchedEpoch[slot] = epoch - 1; // whatever an earlier recall's slot left here, not touched in this epoch
        }
        memoryScore[slot] += graphScore;
        memoryLexical[slot] += lexicalScore;
        touch(slot);
        return slot;
    }

    private void growMemorySlots() {
        final int n = memory.length * 2;
        memory = Arrays.copyOf(memory, n);
        memoryScore = Arrays.copyOf(memoryScore, n);
        memoryLexical = Arrays.copyOf(memoryLexical, n);
        memoryNeighbour = Arrays.copyOf(memoryNeighbour, n);
        memoryLinked = Arrays.copyOf(memoryLinked, n);
        memoryLinkCap = Arrays.copyOf(memoryLinkCap, n);
        memorySemantic = Arrays.copyOf(memorySemantic, n);
        memoryTermMask = Arrays.copyOf(memoryTermMask, n);
        memoryInTime = Arrays.copyOf(memoryInTime, n);
        memoryTime = Arrays.copyOf(memoryTime, n);
        touchedEpoch = Arrays.copyOf(touchedEpoch, n);
    }

    /**
     * The best memory slots of the last ranking, best first ({@code Recaller.topMemorySlots}), {@link #leaderDepth}
     * of them at most, and the slots handed out by {@link #addMemoryScore} since: every change to a memory's evidence
     * goes through a slot from it, and evidence only grows between rankings, so a slot neither among the leaders nor
     * touched still ranks below every leader and the next ranking orders only these two sets. Not valid (the next
     * ranking scans every slot) at the start of a recall and after {@link #forgetLeaders}.
     */
    int[] leaders = new int[16];

    int leaderCount;
    int leaderDepth;
    boolean leadersValid;
    int[] touched = new int[256];
    int touchedCount;
    /** Per memory slot: the ranking epoch it was last put in {@link #touched} in; {@link #epoch} grows per ranking. */
    int[] touchedEpoch = new int[256];

    int epoch;

    /** Records that {@code slot}'s evidence may change before the next ranking (nothing while no ranking is kept). */
    private void touch(final int slot) {
        if (!leadersValid || touchedEpoch[slot] == epoch) {
            return;
        }
        touchedEpoch[slot] = epoch;
        if (touchedCount == touched.length) {
            touched = Arrays.copyOf(touched, touchedCount * 2);
        }
        touched[touchedCount++] = slot;
    }

    /** Whether {@code slot} was touched since the last ranking kept. */
    boolean touchedSinceRanking(final int slot) {
        return touchedEpoch[slot] == epoch;
    }

    /** Keeps the first {@code size} places of {@code best} as the leaders and starts a new epoch of touches. */
    void keepLeaders(final int[] best, final int size) {
        if (leaders.length < size) {
            leaders = new int[Math.max(size, leaders.length * 2)];
        }
        System.arraycopy(best, 0, leaders, 0, size);
        leaderCount = size;
        leadersValid = true;
        epoch++;
        touchedCount = 0;
    }

    /** The next ranking scans every slot: a change reached them all (or a new recall begins). */
    void forgetLeaders() {
        leadersValid = false;
        touchedCount = 0;
    }

    /** The memory's score before the time window: the sum of its evidence. */
    double evidence(final int slot) {
        return memoryScore[slot] + memoryLexical[slot] + memorySemantic[slot] + memoryNeighbour[slot] + linked(slot);
    }

    /** The linked share that counts: up to just below the best source that lent it, and never below zero. */
    double linked(final int slot) {
        final double own = memoryScore[slot] + memoryLexical[slot] + memorySemantic[slot] + memoryNeighbour[slot];
        return Math.min(memoryLinked[slot], Math.max(0.0, LINK_CAP * memoryLinkCap[slot] - own));
    }

    /** A linked memory ends at most at this share of its source's score, so it ranks right after it. */
    private static final double LINK_CAP = 0.99;

    int[] postings(final int n) {
        if (postings.length < n) {
            postings = new int[n];
        }
        return postings;
    }

    /** The query's quantised sentence vector, and the nearest memories found with it. */
    byte[] queryVector = new byte[0];

    byte[] vectorScratch = new byte[0];
    /** The scale of {@link #queryVector}, set with it. */
    float queryScale;
    /**
     * Bridging by meaning from the best memory ({@code Recaller.shareOverLinkedConcepts}): that memory (-1 while not
     * bridging), its vector and scale, the memory nearest the query found so far over its names and concepts (-1 for
     * none) with its lead ({@code Recaller.nearestByMeaning}), the comparisons left, and a buffer of postings.
     */
    int meaningSource = -1;

    byte[] sourceVector = new byte[0];
    float sourceScale;
    int meaningPick = -1;
    float meaningLead;
    int meaningBudget;
    final int[] meaningPostings = new int[Recaller.BRIDGE_MAX_DF];

    final int[] semanticIndex = new int[64];
    final float[] semanticSimilarity = new float[64];
    /** The nearest by plain cosine, before they are ranked again without the tenant's centre. */
    final int[] semanticPool = new int[64];

    final float[] semanticPoolSimilarity = new float[64];

    /**
     * The centre this recall's cosines are taken without ({@link VectorCentre}): null without the semantic index, in a
     * tenant without a centre, or for a question at it. With the query's and the bridge source's products with it.
     */
    VectorCentre centre;

    double queryDotCentre;
    double sourceDotCentre;

    byte[] queryVector(final int dimensions) {
        if (queryVector.length != dimensions) {
            queryVector = new byte[dimensions];
            vectorScratch = new byte[dimensions];
            sourceVector = new byte[dimensions];
        }
        return queryVector;
    }

    int[] termPostings = new int[256];
    /** Step 4's compound postings of one exact concept, and the most counted of them. */
    final int[] compoundRecs = new int[Recaller.COMPOUNDS_READ];
    /** Step 4's compounds, refilled by each recall. */
    final List<Recaller.CompoundHit> compoundHits = new ArrayList<>();

    final int[] compoundBest = new int[Recaller.COMPOUNDS_KEPT];
    final int[] compoundBestCount = new int[Recaller.COMPOUNDS_KEPT];
    int[] bestMemories = new int[16];
    /** While {@code Recaller.topMemorySlots} ranks: the ranking score of each place of {@link #bestMemories}. */
    double[] placeScores = new double[16];

    final double[] bestMemoryScores = new double[16];
    /** Postings of one linking concept or word, and the strongest link share per memory from one source. */
    final int[] linkPostings = new int[64];

    final Int2IntHashMap linkedSlotOf = new Int2IntHashMap(64, 0.6f, MISSING);
    int linkedCount;
    int[] linkedMemory = new int[64];
    double[] linkedShare = new double[64];

    /** Raises memory's link share from the current source to {@code share} if higher. */
    void link(final int memoryIndex, final double share) {
        final int slot = linkedSlotOf.get(memoryIndex);
        if (slot != MISSING) {
            linkedShare[slot] = Math.max(linkedShare[slot], share);
            return;
        }
        if (linkedCount == linkedMemory.length) {
            linkedMemory = Arrays.copyOf(linkedMemory, linkedCount * 2);
            linkedShare = Arrays.copyOf(linkedShare, linkedCount * 2);
        }
        linkedMemory[linkedCount] = memoryIndex;
        linkedShare[linkedCount] = share;
        linkedSlotOf.put(memoryIndex, linkedCount++);
    }

    /** Adds {@code share} to memory's link share from the current source. */
    void addLink(final int memoryIndex, final double share) {
        final int slot = linkedSlotOf.get(memoryIndex);
        if (slot != MISSING) {
            linkedShare[slot] += share;
            return;
        }
        link(memoryIndex, share);
    }

    void clearLinks() {
        linkedSlotOf.clear();
        linkedCount = 0;
    }
    /** The question's distinct terms (TermAnalyzer), refilled by each recall that returns memories. */
    final TermList queryTerms = new TermList();

    /** The keys of the query's concept names (ConceptKeys.normalize), one reused builder per name. */
    private StringBuilder[] conceptKeys = new StringBuilder[0];

    /** The {@code i}-th builder for a query name's key; at most QueryTerms.MAX_TERMS are ever made. */
    StringBuilder conceptKey(final int i) {
        if (i >= conceptKeys.length) {
            conceptKeys = java.util.Arrays.copyOf(conceptKeys, Math.max(i + 1, 2 * conceptKeys.length));
        }
        if (conceptKeys[i] == null) {
            conceptKeys[i] = new StringBuilder(32);
        }
        return conceptKeys[i];
    }

    /** The term being analysed in the question (TermAnalyzer.forEachTerm). */
    final StringBuilder term = new StringBuilder(ai.continuum.engine.extract.TermAnalyzer.MAX_TERM_CHARS);
    /** Copies text out of the arena before it becomes strings (returned memories, concept and compound names). */
    final DecodeBuffer decode = new DecodeBuffer(1024);
    /** The concept ids of the memory a link step follows. */
    final IntArrayList linkConcepts = new IntArrayList();

    /**
     * Step 5's pairs among the {@code n} returned concepts ({@link #clearPairs}): which concepts had their neighbours
     * scanned, which pairs {@code i * n + j} are settled, and the links found as (strength, i, j), at most one per pair.
     * Sized for {@link #PAIRS_KEPT} concepts at first; a recall returning more gets arrays of its size, which the next
     * smaller recall gives back, so a pooled scratch does not keep them (100 concepts take 128 KB).
     */
    boolean[] pairScanned;

    boolean[] pairSeen;
    double[] pairsFound;

    static final int PAIRS_KEPT = 16;

    /** Makes the pair arrays hold {@code n} concepts, none scanned and no pair settled. */
    void clearPairs(final int n) {
        final int capacity = Math.max(n, PAIRS_KEPT);
        if (pairScanned == null || pairScanned.length < n || (pairScanned.length > PAIRS_KEPT && n <= PAIRS_KEPT)) {
            pairScanned = new boolean[capacity];
            pairSeen = new boolean[capacity * capacity];
            pairsFound = new double[3 * (capacity * (capacity - 1) / 2)];
        }
        Arrays.fill(pairScanned, 0, n, false);
        Arrays.fill(pairSeen, 0, n * n, false);
    }

    final int[] scanNeighbours = new int[Recaller.RELATIONSHIP_SCAN];
    final int[] scanLinks = new int[Recaller.RELATIONSHIP_SCAN];
    final int[] scanCounts = new int[Recaller.RELATIONSHIP_SCAN];

    int[] bestMemories(final int n) {
        if (bestMemories.length < n) {
            bestMemories = new int[Math.max(n, bestMemories.length * 2)];
            placeScores = new double[bestMemories.length];
        }
        return bestMemories;
    }

    /**
     * The memories' final order: the ranked places with repeats last ({@code Recaller.restatementsLast}), then
     * diversified in place; with the flags of the places moved up as newer statements. Grown to the largest pool a
     * recall asked for (a few dozen places).
     */
    int[] memoryOrder = new int[32];

    private int[] diversified = new int[32];
    private int[] candidateTerms = new int[32];
    private long[] candidatePrints = new long[32];
    private long[] keptPrints = new long[32];
    private boolean[] diversityUsed = new boolean[32];
    private boolean[] newerFlags = new boolean[32];

    int[] memoryOrder(final int n) {
        if (memoryOrder.length < n) {
            memoryOrder = new int[n];
        }
        return memoryOrder;
    }

    /** {@code Recaller.restatementsLast}: each candidate's term count and text fingerprint, by rank. */
    int[] candidateTerms(final int n) {
        if (candidateTerms.length < n) {
            candidateTerms = new int[n];
        }
        return candidateTerms;
    }

    long[] candidatePrints(final int n) {
        if (candidatePrints.length < n) {
            candidatePrints = new long[n];
        }
        return candidatePrints;
    }

    /** {@code Recaller.restatementsLast}: the fingerprints of the memories kept so far, by place. */
    long[] keptPrints(final int n) {
        if (keptPrints.length < n) {
            keptPrints = new long[n];
        }
        return keptPrints;
    }

    int[] diversified(final int n) {
        if (diversified.length < n) {
            diversified = new int[n];
        }
        return diversified;
    }

    /** {@code n} flags, all false. */
    boolean[] diversityUsed(final int n) {
        if (diversityUsed.length < n) {
            diversityUsed = new boolean[n];
        }
        Arrays.fill(diversityUsed, 0, n, false);
        return diversityUsed;
    }

    /** {@code n} flags, all false. */
    boolean[] newerFlags(final int n) {
        if (newerFlags.length < n) {
            newerFlags = new boolean[n];
        }
        Arrays.fill(newerFlags, 0, n, false);
        return newerFlags;
    }

    /** Step 5's input: the ids of the concepts a recall returns, and their places in its answer. */
    private int[] returnedIds = new int[16];

    private int[] returnedPlaces = new int[16];

    int[] returnedIds(final int n) {
        if (returnedIds.length < n) {
            returnedIds = new int[n];
        }
        return returnedIds;
    }

    int[] returnedPlaces(final int n) {
        if (returnedPlaces.length < n) {
            returnedPlaces = new int[n];
        }
        return returnedPlaces;
    }

    /** Where {@link MemoryEngine#recall} writes an answer it returns as values ({@link RecallOutput#toResult()}). */
    final RecallOutput output = new RecallOutput();

    /** The query's concept names and keywords, parsed into reused lists ({@link QueryTerms#parse}). */
    final QueryTerms parsedQuery = new QueryTerms();

    /** The query's terms found in the memory terms index, as its word records: what linking leaves out. */
    private int[] queryTermRecs = new int[16];

    private int queryTermRecCount;

    /** A source memory's distinct terms as word records ({@code TermIdLists}), while linking follows them. */
    private int[] sourceTermIds = new int[128];

    void clearQueryTermRecs() {
        queryTermRecCount = 0;
    }

    void addQueryTermRec(final int rec) {
        if (queryTermRecCount == queryTermRecs.length) {
            queryTermRecs = Arrays.copyOf(queryTermRecs, 2 * queryTermRecCount);
        }
        queryTermRecs[queryTermRecCount++] = rec;
    }

    /** Whether word record {@code rec} is one of the query's terms (a question names a few; a scan is cheapest). */
    boolean isQueryTerm(final int rec) {
        for (int i = 0; i < queryTermRecCount; i++) {
            if (queryTermRecs[i] == rec) {
                return true;
            }
        }
        return false;
    }

    int[] sourceTermIds(final int n) {
        if (sourceTermIds.length < n) {
            sourceTermIds = new int[Math.max(n, 2 * sourceTermIds.length)];
        }
        return sourceTermIds;
    }

    int[] termPostings(final int n) {
        if (termPostings.length < n) {
            termPostings = new int[n];
        }
        return termPostings;
    }

    int[] ranked(final int n) {
        if (ranked.length < n) {
            ranked = new int[Math.max(n, ranked.length * 2)];
        }
        return ranked;
    }

    private void growSlots() {
        final int n = concept.length * 2;
        concept = Arrays.copyOf(concept, n);
        activation = Arrays.copyOf(activation, n);
        depth = Arrays.copyOf(depth, n);
        direct = Arrays.copyOf(direct, n);
        queuedAt = Arrays.copyOf(queuedAt, n);
    }
}
