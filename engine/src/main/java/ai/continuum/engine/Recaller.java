package ai.continuum.engine;

import ai.continuum.engine.extract.QueryTerms;
import ai.continuum.engine.extract.QuestionShape;
import ai.continuum.engine.extract.TermAnalyzer;
import ai.continuum.engine.extract.TermList;
import ai.continuum.engine.extract.TimeExpression;
import ai.continuum.engine.semantic.SemanticIndex;
import ai.continuum.engine.semantic.VectorCentre;
import ai.continuum.engine.semantic.VectorTable;
import ai.continuum.engine.store.CompoundTable;
import ai.continuum.engine.store.ConceptGraph;
import ai.continuum.engine.store.ConceptLayout;
import ai.continuum.engine.store.DecodeBuffer;
import ai.continuum.engine.store.IndexHashTable;
import ai.continuum.engine.store.MemoryTable;
import ai.continuum.engine.store.StringIndex;
import ai.continuum.engine.store.TermIdLists;
import ai.continuum.engine.store.TextChars;
import ai.continuum.engine.store.WordIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.agrona.collections.IntArrayList;

/**
 * Recall (docs/DESIGN.md section 7, steps 2-8) over the off-heap state: seed the query's concepts, spread activation, rank, collect
 * relationships and memories, render the context block.
 *
 * <p>Thread model: stateless apart from its collaborators; any number of threads recall at once, each with its own
 * {@link RecallScratch}. Reads never take the write lock: neighbour and posting lists are copied under their
 * sequence locks (see {@link ConceptGraph}).
 *
 * <p>Activation: a named concept starts at 1.0 (exact) or {@code partialMatchRelevance} (a word of it matched); a
 * neighbour reached over a link gets {@code parent activation x link strength x resonanceDecay}; each concept keeps
 * its best activation over all paths of at most {@code depth} hops, following only the {@code neighboursPerHop}
 * strongest links of each concept (the first entries of its adjacency block).
 */
final class Recaller {
    /**
     * Concepts whose postings feed memory scoring, strongest first, and the least the walk ranks (its pruning bar is
     * the activation of this place). 10, the default number of concepts returned, rather than 32: the development,
     * hard and held-out sets rank every question as before, the synthetic set moves 0.1-0.2 points at 20 only, and a
     * recall at 1M/5M takes 24-29% less time (benchmarks/RESULTS.md, fifteenth session).
     */
    private static final int MEMORY_SOURCE_CONCEPTS = 10;
    /** Newest memories read per concept when scoring. */
    private static final int POSTINGS_PER_CONCEPT = 256;
    /** Compounds read per exact query concept, and kept per concept (docs/DESIGN.md section 7, recall step 4). */
    static final int COMPOUNDS_READ = 64;

    static final int COMPOUNDS_KEPT = 5;
    private static final double DAY_MILLIS = 86_400_000.0;
    /** Degree up to which relationships are found by scanning a concept's whole adjacency block. */
    static final int RELATIONSHIP_SCAN = 64;
    /**
     * Postings read per query term: all of a term's memories up to COMMON_TERM_DF, only the newest
     * COMMON_TERM_POSTINGS of a more common term. A common term weighs little (low idf) but would cost a read per
     * memory it names; bounding it keeps recall's cost independent of the tenant's size. 256 rather than 512: no
     * ranking of the development, hard and synthetic sets changed, and a recall over word-sharing names scores 13%
     * fewer memories (128 cost the synthetic set's single-hop questions 2.7 points of hit@5).
     */
    private static final int COMMON_TERM_DF = 256;

    private static final int COMMON_TERM_POSTINGS = 128;
    /** BM25 term-frequency saturation and length normalisation (Lucene's defaults). */
    private static final double BM25_K1 = 1.2;

    private static final double BM25_B = 0.75;
    /** Best memories whose session neighbours share their score, and the share (tuned on the evaluation set). */
    private static final int SESSION_NEIGHBOUR_SOURCES = 5;

    private static final double SESSION_NEIGHBOUR_SHARE = 0.4;
    /** The share of a matching question's score its reply, the next turn in the session, takes. */
    private static final double ANSWER_SHARE = 0.8;
    /** A question leads to its reply only when it contains a query term found in at most this many memories. */
    private static final int ANSWER_MAX_DF = 16;

    /**
     * Scale of graph evidence against lexical evidence in a memory's score. Tuned on the evaluation set: 0 to 0.6
     * give the same hit@5, higher values lose ranks (MRR) to memories that share only hub concepts.
     */
    private static final double GRAPH_WEIGHT = 0.3;

    /** Best memories whose rare concepts lead to the next hop, the share, and the rarity bound (memories). */
    private static final int LINK_SOURCES = 5;

    private static final double LINK_SHARE = 0.5;
    static final int LINK_MAX_DF = 8;
    /** A memory links only when it scores at least this share of the best one. */
    private static final double LINK_SOURCE_MIN = 0.5;
    /** Query words a memory must contain to lead to linked ones. */
    private static final int LINK_SOURCE_WORDS = 2;
    /**
     * Memories a name may be said in and still bridge to the other half of a question: more than
     * {@code LINK_MAX_DF} (a person talked about often), but not a speaker said everywhere.
     */
    static final int BRIDGE_MAX_DF = 64;
    /** Sentence vectors compared when bridging by meaning, two products each (tens of nanoseconds). */
    private static final int MEANING_BRIDGE_CANDIDATES = 256;
    /** Cosine with the query at or below which a memory is not bridged to by meaning, in a tenant without a centre. */
    private static final double MEANING_BRIDGE_FLOOR = 0.2;
    /**
     * The same, for cosines without the tenant's centre: synthetic multi-hop recall_all@10 0.510 at 0.15 and 0.375 at
     * 0.2 against 0.552 at 0.1; 0.562 at 0.05 and 0.573 at 0 (where the development set lost a question).
     */
    private static final double MEANING_BRIDGE_CENTRED_FLOOR = 0.1;
    /**
     * How much nearer the source than the query a memory bridged to by meaning may be. On the synthetic set's picks:
     * with no bound 69 right and 434 wrong, at 0.1 49 and 69, at 0.05 37 and 17 (and two thirds of the gain).
     */
    private static final double MEANING_BRIDGE_SLACK = 0.1;
    /** Best memories whose completing turns are gathered for a question asking several things, and their bound. */
    private static final int COMPLETION_SOURCES = 2;

    private static final double COMPLETION_SOURCE_MIN = 0.5;
    /** Places kept by the strongest evidence; completing turns come right after them (3: dev hit@5 -2.3 points). */
    private static final int COMPLETION_AFTER_PLACE = 5;
    /** A completing turn ends at this share of the last kept place's score: right after it. */
    private static final double COMPLETION_CAP = 0.999;
    /** How much a memory in the time the query names counts, against one outside it. */
    private static final double NAMED_TIME_FACTOR = 2.0;
    /** A newer statement of the same query words moves above an older one scoring at most 1/0.8 of it. */
    private static final double NEWER_WITHIN = 0.8;
    /** Query words two memories must both contain to count as the same statement (one is often just a name). */
    private static final int NEWER_MIN_WORDS = 2;
    /** No anchor for a relative time: the words and the graph found no memory to anchor it on. */
    private static final long NO_ANCHOR = Long.MIN_VALUE;
    /** Nearest memories by sentence vector read per recall (tuned on the development sets: 20 and 30 alike). */
    private static final int SEMANTIC_CANDIDATES = 30;
    /**
     * Nearest memories by plain cosine that are ranked again by cosine without the tenant's centre, of which the first
     * {@code SEMANTIC_CANDIDATES} are kept: turns near the centre crowd the plain top 30 (a pool of 30 lost 0.6 and 0.9
     * points of hit@5 on the dev and hard dev sets against 60).
     */
    private static final int SEMANTIC_POOL = 60;
    /**
     * Plain cosine at or below which a memory gets no semantic evidence, in a tenant too small for a centre (0.2 and
     * 0.4 lose 1-3 points of hit@5).
     */
    private static final double SEMANTIC_FLOOR = 0.3;
    /** The same, for the cosine without the tenant's centre (0.1 and 0.3 lost 0.9-4.4 points of hit@5 on two sets). */
    private static final double SEMANTIC_CENTRED_FLOOR = 0.2;
    /**
     * Semantic evidence of the nearest memory, as a share of the recall's best lexical and graph evidence; the others
     * get it in proportion to their cosine above the floor. 0.5 and 0.7 leave open-domain questions below the
     * lexical matches of a name they share.
     */
    private static final double SEMANTIC_WEIGHT = 1.0;
    /** The reference semantic evidence scales to when words and graph found nothing. */
    private static final double SEMANTIC_REFERENCE_MIN = 4.0;
    /**
     * A memory of fewer index terms than this says little ("Priya: Fine, please enable it.", "Maya: Love that.") and
     * gets that fraction ({@link #content}) of two kinds of evidence that are about nearness, not about what it says:
     * semantic evidence (the vector of a few words does not pull away from the question, so it lies near many; 5-8
     * measured on the development sets, 6 gained on all three, 8 cost hard dev's knowledge-update hit@1 17 points)
     * and the share of the turn right before a match (an acknowledgement or the prompt of the match, which holds the
     * answer; the turn after a match keeps its full share, since a short reply is often the answer: "Cashews.").
     */
    private static final double FULL_CONTENT_TERMS = 6.0;
    /** Candidates ranked per memory returned when repeated texts are moved last (without the semantic index). */
    private static final int RESTATEMENT_POOL = 2;
    /** Candidates diversification chooses among, per memory returned. */
    private static final int DIVERSITY_POOL = 3;
    /** Cosine above which two memories count as restating each other. */
    private static final double DIVERSITY_COSINE = 0.7;
    /** Score a candidate loses, as a share of the best score, per unit of overlap with a memory placed before it. */
    private static final double DIVERSITY_PENALTY = 0.3;

    /** The type of every relationship recall returns: the concepts were learned together. */
    private static final String CO_OCCURRENCE = "co-occurrence";

    private final EngineConfig config;
    private final ConceptGraph graph;
    private final StringIndex dictionary;
    private final WordIndex words;
    private final WordIndex memoryTerms;
    /** Each memory's distinct terms, as records of {@link #memoryTerms}. */
    private final TermIdLists memoryTermIds;

    private final MemoryTable memories;
    private final CompoundTable compounds;
    /** Null when the engine has no semantic index. */
    private final SemanticIndex semantic;

    private final LongSupplier clock;

    Recaller(
            final EngineConfig config,
            final ConceptGraph graph,
            final StringIndex dictionary,
            final WordIndex words,
            final WordIndex memoryTerms,
            final TermIdLists memoryTermIds,
            final MemoryTable memories,
            final CompoundTable compounds,
            final SemanticIndex semantic,
            final LongSupplier clock) {
        this.config = config;
        this.graph = graph;
        this.dictionary = dictionary;
        this.words = words;
        this.memoryTerms = memoryTerms;
        this.memoryTermIds = memoryTermIds;
        this.memories = memories;
        this.compounds = compounds;
        this.semantic = semantic;
        this.clock = clock;
    }

    /** Writes the answer into {@code out} (emptied first). */
    void recall(
            final TenantState t,
            final QueryTerms query,
            final TimeExpression time,
            final String question,
            final boolean useSemantic,
            final int maxConcepts,
            final int maxMemories,
            final RecallScratch s,
            final RecallOutput out,
            final long startNanos) {
        s.reset();
        out.start(config.workingMemoryCapacity());
        seed(t, query, s);
        final int seeds = s.slots;
        final int keep = Math.max(maxConcepts, MEMORY_SOURCE_CONCEPTS);
        spread(s, keep);
        final int rankedCount = rank(s, keep);
        final int[] ranked = s.ranked;
        final int[] returnedIds = s.returnedIds(Math.min(maxConcepts, rankedCount));
        final int[] returnedPlaces = s.returnedPlaces(Math.min(maxConcepts, rankedCount));
        int returned = 0;
        final List<CompoundHit> compoundHits = compoundsOf(t, s, seeds);
        int ci = 0;
        int ki = 0;
        while (out.conceptCount() < maxConcepts && (ci < rankedCount || ki < compoundHits.size())) {
            final double conceptRelevance = ci < rankedCount ? s.activation[ranked[ci]] : -1;
            final double compoundRelevance = ki < compoundHits.size() ? compoundHits.get(ki).relevance : -1;
            if (conceptRelevance >= compoundRelevance) {
                final int slot = ranked[ci++];
                final long info = infoAddress(s.concept[slot]);
                if (info == 0) {
                    continue;
                }
                // What the result shows, and nothing else (the key, for one, is never decoded here).
                final TextChars name = out.nextConceptName();
                ConceptInfo.displayName(graph.arena(), info, name, s.decode);
                returnedIds[returned] = s.concept[slot];
                returnedPlaces[returned++] = out.addConcept(
                        name,
                        ConceptInfo.type(graph.arena(), graph.interned(), info),
                        ConceptInfo.description(graph.arena(), graph.interned(), info),
                        s.activation[slot],
                        s.direct[slot] ? RecallResult.Source.DIRECT : RecallResult.Source.GRAPH_NEIGHBOR,
                        s.depth[slot]);
            } else {
                final CompoundHit c = compoundHits.get(ki++);
                final List<String> names = componentNames(c.rec, s.decode);
                if (names.size() < 2) {
                    continue; // a component was forgotten
                }
                out.addConcept(
                        CompoundNames.name(names),
                        "compound_concept",
                        "Components: " + CompoundNames.json(names),
                        c.relevance,
                        RecallResult.Source.COMPOUND,
                        0);
            }
        }
        relationships(returnedIds, returned, returnedPlaces, s, out);
        // the question's distinct terms, for the lexical evidence and the links that must leave them out
        final TermList queryTerms = s.queryTerms;
        queryTerms.clear();
        if (maxMemories > 0) {
            TermAnalyzer.forEachTerm(question, s.term, queryTerms);
        }
        memories(
                t,
                s,
                ranked,
                rankedCount,
                queryTerms,
                time,
                useSemantic ? question : null,
                QuestionShape.asksSeveral(question),
                QuestionShape.asksCurrent(question),
                maxMemories,
                out);
        // the context block is rendered when asked for (RecallAnswer.writeContext)
        out.finish(System.nanoTime() - startNanos);
    }

    /**
     * The allocation-free core of recall: exact seeds from concept keys, spreading activation, ranking.
     *
     * @return ranked slots, in {@code s.ranked}.
     */
    int resonate(
            final TenantState t,
            final CharSequence[] keys,
            final int keyCount,
            final int limit,
            final RecallScratch s) {
        s.reset();
        for (int i = 0; i < keyCount; i++) {
            final int id = dictionary.get(t.id, keys[i], s.probe);
            if (id != StringIndex.MISSING) {
                s.activate(id, 1.0, 0, true);
            }
        }
        for (int i = 0; i < s.slots; i++) {
            s.pushNext(i, 0);
        }
        s.advance();
        spread(s, limit);
        return rank(s, limit);
    }

    /** Step 2: exact matches at 1.0, partial (word) matches at {@code partialMatchRelevance}. */
    private void seed(final TenantState t, final QueryTerms query, final RecallScratch s) {
        final int names = query.conceptCount();
        for (int q = 0; q < names; q++) {
            exact(t, ConceptKeys.normalize(query.concept(q), s.conceptKey(q)), s);
        }
        final int keywordCount = query.keywordCount();
        for (int k = 0; k < keywordCount; k++) {
            exact(t, query.keyword(k), s);
        }
        int partial = 0;
        final int maxPartial = config.maxPartialMatches();
        final int[] found = s.postings(maxPartial + 1);
        for (int q = 0; q < names + keywordCount && partial < maxPartial; q++) {
            final CharSequence text = q < names ? s.conceptKey(q) : query.keyword(q - names);
            for (long w = WordIndex.nextWord(text, 0);
                    w != WordIndex.NO_WORD && partial < maxPartial;
                    w = WordIndex.nextWord(text, WordIndex.wordEnd(w))) {
                final int rec = words.find(t.id, text, WordIndex.wordStart(w), WordIndex.wordEnd(w), s.wordProbe);
                if (rec == IndexHashTable.MISSING) {
                    continue;
                }
                final int n = words.read(rec, maxPartial, found);
                for (int i = 0; i < n && partial < maxPartial; i++) {
                    if (s.slotOf.get(found[i]) == RecallScratch.MISSING && graph.tenantOf(found[i]) == t.id) {
                        s.activate(found[i], config.partialMatchRelevance(), 0, true);
                        partial++;
                    }
                }
            }
        }
        for (int i = 0; i < s.slots; i++) {
            s.pushNext(i, 0);
        }
        s.advance();
    }

    private void exact(final TenantState t, final CharSequence key, final RecallScratch s) {
        final int id = dictionary.get(t.id, key, s.probe);
        if (id != StringIndex.MISSING) {
            s.activate(id, 1.0, 0, true);
        }
    }

    /**
     * Step 3: spreading activation over the strongest links, {@code depth} hops, for a ranking that keeps the first
     * {@code keep} concepts. Allocation-free.
     *
     * <p>A concept whose activation times the decay is below the {@code keep}-th best activation so far is not
     * expanded: a link's strength is at most 1 and the decay at most 1, so whatever it would raise, at any later hop,
     * stays below that activation, which only grows. Such values can neither enter the first {@code keep} nor be the
     * best activation of a concept that does, so the ranking, and every activation and depth in it, are what the full
     * walk gives. On names that share words most of the last hop's frontier is below that bar.
     */
    void spread(final RecallScratch s, final int keep) {
        final int k = config.neighboursPerHop();
        final double decay = config.resonanceDecay();
        final boolean timeDecay = config.timeDecayEnabled();
        final long now = timeDecay ? clock.getAsLong() : 0L;
        final int depth = config.depth();
        for (int hop = 1; hop <= depth && s.frontierSize > 0; hop++) {
            // after the last hop nothing is expanded, so nothing is queued
            final boolean queue = hop < depth;
            final double bar = s.kthActivation(keep);
            for (int f = 0; f < s.frontierSize; f++) {
                final int from = s.frontier[f];
                final double parent = s.activation[from];
                if (parent * decay < bar) {
                    continue;
                }
                final int n = graph.readNeighbours(s.concept[from], k, s.neighbours, s.linkIds, s.counts);
                for (int i = 0; i < n; i++) {
                    final double days =
                            timeDecay ? Math.max(0L, now - graph.linkLastSeen(s.linkIds[i])) / DAY_MILLIS : 0.0;
                    final double value = parent * config.strength(s.counts[i], days) * decay;
                    final int raised = s.activate(s.neighbours[i], value, hop, false);
                    if (queue && raised != RecallScratch.MISSING) {
                        s.pushNext(raised, hop);
                    }
                }
            }
            s.advance();
        }
    }

    /**
     * Step 5: the best {@code limit} slots by activation, highest first; ties: fewer hops, then the query's order for
     * seeds and the lower concept id for the others. A bounded insertion: most slots lose to the current last place in
     * one comparison.
     *
     * @return the number of ranked slots, in {@code s.ranked}.
     */
    private static int rank(final RecallScratch s, final int limit) {
        final int[] order = s.ranked(limit);
        int size = 0;
        for (int slot = 0; slot < s.slots; slot++) {
            if (size == limit && !before(s, slot, order[size - 1])) {
                continue;
            }
            int j = size == limit ? size - 1 : size++;
            while (j > 0 && before(s, slot, order[j - 1])) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = slot;
        }
        return size;
    }

    private static boolean before(final RecallScratch s, final int a, final int b) {
        if (s.activation[a] != s.activation[b]) {
            return s.activation[a] > s.activation[b];
        }
        if (s.depth[a] != s.depth[b]) {
            return s.depth[a] < s.depth[b];
        }
        // seeds keep the query's order (their slots); of the concepts the walk reached, the older one (the lower id)
        // first: the order the walk reaches them in depends on which weak concepts it left out
        return s.depth[a] == 0 ? a < b : s.concept[a] < s.concept[b];
    }

    /** A compound holding an exact query concept; its names are decoded only if it is returned. */
    /** A compound of a query concept, as step 4 ranks it. */
    record CompoundHit(int rec, double relevance) {}

    /**
     * Step 4: compounds containing an exact query concept, highest relevance first: per exact concept its
     * {@code COMPOUNDS_KEPT} most counted (ties in posting order), each compound once.
     */
    private List<CompoundHit> compoundsOf(final TenantState t, final RecallScratch s, final int seeds) {
        final List<CompoundHit> out = s.compoundHits;
        out.clear();
        final int[] recs = s.compoundRecs;
        final int[] best = s.compoundBest;
        final int[] bestCount = s.compoundBestCount; // each count read once: a learn may raise it meanwhile
        for (int i = 0; i < seeds; i++) {
            if (s.activation[i] < 1.0) {
                continue;
            }
            final int n = graph.readIntList(s.concept[i], ConceptLayout.CMP_ADDR, COMPOUNDS_READ, recs);
            // the most counted first, an earlier posting first among equals: a bounded, stable insertion
            int kept = 0;
            for (int j = 0; j < n; j++) {
                final int rec = recs[j];
                if (!compounds.exists(rec) || compounds.tenant(rec) != t.id) {
                    continue;
                }
                final int count = compounds.count(rec);
                if (kept == COMPOUNDS_KEPT && count <= bestCount[kept - 1]) {
                    continue;
                }
                int k = kept == COMPOUNDS_KEPT ? kept - 1 : kept++;
                while (k > 0 && count > bestCount[k - 1]) {
                    best[k] = best[k - 1];
                    bestCount[k] = bestCount[k - 1];
                    k--;
                }
                best[k] = rec;
                bestCount[k] = count;
            }
            for (int j = 0; j < kept; j++) {
                if (!containsCompound(out, best[j])) {
                    out.add(new CompoundHit(best[j], Math.min(0.9, 0.5 + 0.1 * bestCount[j])));
                }
            }
        }
        out.sort((x, y) -> Double.compare(y.relevance, x.relevance));
        return out;
    }

    private static boolean containsCompound(final List<CompoundHit> hits, final int rec) {
        for (final CompoundHit hit : hits) {
            if (hit.rec == rec) {
                return true;
            }
        }
        return false;
    }

    /** The display names of the compound's components that are still known, in component order. */
    private List<String> componentNames(final int rec, final DecodeBuffer decode) {
        final List<String> names = new ArrayList<>(compounds.componentCount(rec));
        for (int c = 0; c < compounds.componentCount(rec); c++) {
            final long info = infoAddress(compounds.component(rec, c));
            if (info != 0) {
                names.add(ConceptInfo.displayName(graph.arena(), info, decode));
            }
        }
        return names;
    }

    /**
     * Step 6: links among the returned concepts, strongest first. A concept of small degree is checked by scanning
     * its adjacency block (contiguous, and usually still in cache from the walk); only pairs of two well-connected
     * concepts cost a hash probe each.
     */
    private void relationships(
            final int[] ids, final int n, final int[] places, final RecallScratch s, final RecallOutput out) {
        if (n < 2 || config.maxRelationships() == 0) {
            return;
        }
        final long now = config.timeDecayEnabled() ? clock.getAsLong() : 0L;
        s.clearPairs(n);
        final boolean[] scanned = s.pairScanned;
        final boolean[] seen = s.pairSeen;
        // Each link found is (strength, i, j), i < j, at most one per pair, in the order found.
        final double[] found = s.pairsFound;
        int foundCount = 0;
        final int[] neighbours = s.scanNeighbours;
        final int[] links = s.scanLinks;
        final int[] counts = s.scanCounts;
        for (int i = 0; i < n; i++) {
            if (graph.degreeAcquire(ids[i]) > RELATIONSHIP_SCAN) {
                continue;
            }
            scanned[i] = true;
            final int k = graph.readNeighbours(ids[i], RELATIONSHIP_SCAN, neighbours, links, counts);
            for (int e = 0; e < k; e++) {
                final int j = indexOf(ids, n, neighbours[e]);
                if (j >= 0 && !seen[Math.min(i, j) * n + Math.max(i, j)]) {
                    seen[Math.min(i, j) * n + Math.max(i, j)] = true;
                    foundCount = addFound(
                            found, foundCount, strength(counts[e], links[e], now), Math.min(i, j), Math.max(i, j));
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (scanned[i] || scanned[j] || seen[i * n + j]) {
                    continue; // a scan of either endpoint already found this link, or proved there is none
                }
                final int link = graph.findLink(ids[i], ids[j], s.pairProbe);
                final int count = link < 0 ? 0 : graph.readLinkCount(link);
                if (count > 0) {
                    foundCount = addFound(found, foundCount, strength(count, link, now), i, j);
                }
            }
        }
        // The strongest first, ties in the order found (what a stable sort gives), by repeated selection: a few
        // dozen links at most, and nothing allocated per link.
        final int taken = Math.min(foundCount, config.maxRelationships());
        for (int r = 0; r < taken; r++) {
            int best = -1;
            for (int f = 0; f < foundCount; f++) {
                if (found[3 * f + 1] >= 0 && (best < 0 || Double.compare(found[3 * f], found[3 * best]) > 0)) {
                    best = f;
                }
            }
            out.addRelationship(
                    places[(int) found[3 * best + 1]],
                    places[(int) found[3 * best + 2]],
                    CO_OCCURRENCE,
                    found[3 * best]);
            found[3 * best + 1] = -1; // taken
        }
    }

    private static int addFound(
            final double[] found, final int count, final double strength, final int i, final int j) {
        found[3 * count] = strength;
        found[3 * count + 1] = i;
        found[3 * count + 2] = j;
        return count + 1;
    }

    private static int indexOf(final int[] ids, final int n, final int id) {
        for (int i = 0; i < n; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    private double strength(final int count, final int link, final long now) {
        final double days = config.timeDecayEnabled() ? Math.max(0L, now - graph.linkLastSeen(link)) / DAY_MILLIS : 0.0;
        return config.strength(count, days);
    }

    /**
     * Step 7: memories ranked by kinds of evidence, summed: the graph's (the activations of the concepts a memory
     * mentions, each weighted by the concept's rarity among memories, so a hub mentioned everywhere does not drown
     * the specific ones), the words' (BM25 over the query terms the memory contains; {@link TermAnalyzer}), a share
     * of a strong match next to it in its session, and a share of a strong match that names a rare concept it also
     * names. A memory in the time the query names counts double. Among the best, a newer memory that matches the
     * same query words as an older one, nearly as well, is moved above it. Ties go to the newer memory.
     */
    private void memories(
            final TenantState t,
            final RecallScratch s,
            final int[] ranked,
            final int rankedCount,
            final TermList queryTerms,
            final TimeExpression time,
            final String semanticQuery,
            final boolean asksSeveral,
            final boolean asksCurrent,
            final int maxMemories,
            final RecallOutput out) {
        if (maxMemories == 0) {
            return;
        }
        // a few more than asked, in case some were forgotten since they were scored
        final int poolSize = (semanticQuery != null ? DIVERSITY_POOL : RESTATEMENT_POOL) * maxMemories + 4;
        s.leaderDepth =
                Math.max(poolSize, Math.max(COMPLETION_AFTER_PLACE, Math.max(LINK_SOURCES, SESSION_NEIGHBOUR_SOURCES)));
        final double total = Math.max(1, t.liveMemories);
        final int[] postings = s.postings(POSTINGS_PER_CONCEPT);
        final int sources = Math.min(rankedCount, MEMORY_SOURCE_CONCEPTS);
        for (int r = 0; r < sources; r++) {
            final int slot = ranked[r];
            final int id = s.concept[slot];
            final int df = graph.intListSize(id, ConceptLayout.MEM_ADDR);
            if (df == 0) {
                continue;
            }
            final double weight = s.activation[slot] * Math.log(1.0 + total / df) * GRAPH_WEIGHT;
            final int n = graph.readIntList(id, ConceptLayout.MEM_ADDR, POSTINGS_PER_CONCEPT, postings);
            for (int i = 0; i < n; i++) {
                s.addMemoryScore(postings[i], weight, 0);
            }
        }
        final double averageTerms = Math.max(1.0, (double) t.memoryTerms / total);
        final int[] termPostings = s.termPostings(COMMON_TERM_DF);
        Arrays.fill(s.queryTermDf, 0);
        s.clearQueryTermRecs();
        for (int q = 0; q < queryTerms.size(); q++) {
            final int rec =
                    memoryTerms.find(t.id, queryTerms.chars(), queryTerms.start(q), queryTerms.end(q), s.termProbe);
            if (rec == IndexHashTable.MISSING) {
                continue;
            }
            s.addQueryTermRec(rec);
            if (TermAnalyzer.isQuestionAuxiliary(queryTerms.chars(), queryTerms.start(q), queryTerms.end(q))) {
                continue; // a query term, so no link follows it, but no evidence: its df stays 0, no "query word"
            }
            final int df = memoryTerms.size(rec);
            if (q < Long.SIZE) {
                s.queryTermDf[q] = df;
            }
            if (df == 0) {
                continue;
            }
            final double idf = Math.log(1.0 + (total - df + 0.5) / (df + 0.5));
            final int n =
                    memoryTerms.read(rec, df > COMMON_TERM_DF ? COMMON_TERM_POSTINGS : COMMON_TERM_DF, termPostings);
            final long bit = q < Long.SIZE ? 1L << q : 0L;
            for (int i = 0; i < n; i++) {
                final int m = termPostings[i];
                if (!memories.exists(m)) {
                    continue;
                }
                final double norm = BM25_K1 * (1 - BM25_B + BM25_B * memories.terms(m) / averageTerms);
                final int slot = s.addMemoryScore(m, 0, idf * (BM25_K1 + 1) / (1 + norm));
                s.memoryTermMask[slot] |= bit;
            }
        }
        // a relative time is anchored on what the words and the graph found (the turn naming the event)
        final long anchor = time != null && time.kind() != TimeExpression.Kind.ABSOLUTE ? anchorTime(s) : NO_ANCHOR;
        if (semanticQuery != null) {
            addSemanticEvidence(t, s, semanticQuery);
            if (time != null && time.kind() != TimeExpression.Kind.ABSOLUTE) {
                // before any evidence is shared: a neighbour or link must not take a share of what the window removes
                markNamedTime(s, time, anchor);
                semanticOnlyInWindow(s);
            }
        }
        shareWithSessionNeighbours(t, s);
        shareOverLinkedConcepts(t, s, semanticQuery != null);
        if (asksCurrent) {
            followLaterStatement(t, s);
        }
        if (asksSeveral) {
            completeAnswers(t, s);
        }
        if (time != null) {
            markNamedTime(s, time, anchor); // again: the shares above added memories
        }
        final int top = topMemorySlots(s, Math.min(s.memorySlots, poolSize));
        final int[] order = s.memoryOrder(top);
        restatementsLast(s, s.bestMemories, top, order);
        final int places = diversify(s, order, top, maxMemories + 4, semanticQuery != null);
        final boolean[] newer = newerStatementsFirst(s, order, places);
        for (int i = 0; i < places && out.memoryCount() < maxMemories; i++) {
            final int slot = order[i];
            final int m = s.memory[slot];
            if (memories.exists(m)
                    && memories.tenant(m) == t.id
                    && memories.readText(m, out.nextMemoryTexts(), s.decode)) {
                out.addMemory(memories.id(m), memories.timeMillis(m), score(s, slot), s, slot, newer[i]);
            }
        }
    }

    /**
     * Semantic evidence: the {@code SEMANTIC_CANDIDATES} memories whose sentence vectors are nearest the query's
     * ({@link SemanticIndex}), for questions that name none of the evidence's words. Once the tenant has a centre
     * ({@link VectorCentre}), nearness is the cosine with the centre taken from both, over the {@code SEMANTIC_POOL}
     * nearest by plain cosine, so small talk near every question does not take the evidence. The nearest gets
     * {@code SEMANTIC_WEIGHT} x the best lexical and graph evidence of this recall (at least
     * {@code SEMANTIC_REFERENCE_MIN}), so it weighs the same against words whatever the query's length; the others
     * get a share in proportion to how far their cosine is above the floor, against the nearest's. A memory of few
     * terms gets part of its share ({@link #content}).
     */
    private void addSemanticEvidence(final TenantState t, final RecallScratch s, final String query) {
        final float queryScale =
                semantic.embedQuery(query, s.queryVector(semantic.vectors().dimensions()));
        s.queryScale = queryScale;
        final VectorCentre tenantCentre = semantic.centre(t.id);
        final double queryDotCentre =
                tenantCentre == null ? 0 : tenantCentre.dot(semantic.vectors(), s.queryVector, queryScale);
        final VectorCentre centre =
                tenantCentre != null && tenantCentre.standsApart(queryDotCentre) ? tenantCentre : null;
        s.centre = centre;
        s.queryDotCentre = queryDotCentre;
        final int n;
        if (centre == null) {
            n = semantic.search(
                    t.id,
                    s.queryVector,
                    queryScale,
                    SEMANTIC_CANDIDATES,
                    s.semanticIndex,
                    s.semanticSimilarity,
                    s.vectorScratch);
        } else {
            final int pool = semantic.search(
                    t.id,
                    s.queryVector,
                    queryScale,
                    SEMANTIC_POOL,
                    s.semanticPool,
                    s.semanticPoolSimilarity,
                    s.vectorScratch);
            n = centre.rerank(
                    semantic.vectors(),
                    queryDotCentre,
                    pool,
                    s.semanticPool,
                    s.semanticPoolSimilarity,
                    SEMANTIC_CANDIDATES,
                    s.semanticIndex,
                    s.semanticSimilarity,
                    s.vectorScratch);
        }
        final double floor = centre == null ? SEMANTIC_FLOOR : SEMANTIC_CENTRED_FLOOR;
        double reference = SEMANTIC_REFERENCE_MIN;
        for (int slot = 0; slot < s.memorySlots; slot++) {
            reference = Math.max(reference, s.memoryScore[slot] + s.memoryLexical[slot]);
        }
        final double top = n > 0 ? s.semanticSimilarity[0] : 1.0;
        for (int i = 0; i < n; i++) {
            final int m = s.semanticIndex[i];
            final double above = (s.semanticSimilarity[i] - floor) / (top - floor);
            if (above <= 0) {
                break;
            }
            if (memories.exists(m) && memories.tenant(m) == t.id) {
                final int slot = s.addMemoryScore(m, 0, 0); // may grow the arrays: index after
                s.memorySemantic[slot] = SEMANTIC_WEIGHT * reference * above * content(m);
            }
        }
    }

    /**
     * The turns right before and after a strongly matching memory, in its session, share part of its score: a
     * question's answer often sits in the reply to the turn that matches it ("what is your new job?" - "a nurse"),
     * and facts spread over two turns come back together. The turn before shares in proportion to what it says
     * ({@link #content}).
     */
    private void shareWithSessionNeighbours(final TenantState t, final RecallScratch s) {
        final int top = bestSources(s, SESSION_NEIGHBOUR_SOURCES);
        final int[] best = s.bestMemories;
        final double[] bestScore = s.bestMemoryScores;
        for (int i = 0; i < top; i++) {
            final double share = SESSION_NEIGHBOUR_SHARE * bestScore[i];
            final int previous = memories.previous(best[i]);
            if (previous >= 0 && memories.tenant(previous) == t.id) {
                final int slot = s.addMemoryScore(previous, 0, 0); // may grow the arrays: index after
                s.memoryNeighbour[slot] += share * content(previous);
            }
            final int next = memories.next(best[i]);
            if (next >= 0 && memories.tenant(next) == t.id) {
                final boolean asked = namesRareTerm(s, s.memoryTermMask[s.memorySlotOf.get(best[i])])
                        && memories.endsWithQuestion(best[i]);
                final int slot = s.addMemoryScore(next, 0, 0);
                s.memoryNeighbour[slot] += asked ? ANSWER_SHARE * bestScore[i] : share;
                // a question about the match ("Why?", "Where in Sicily?") is answered by the turn after it
                final int after = memories.next(next);
                if (!asked && after >= 0 && memories.tenant(after) == t.id && memories.endsWithQuestion(next)) {
                    final int afterSlot = s.addMemoryScore(after, 0, 0);
                    s.memoryNeighbour[afterSlot] += share;
                }
            }
        }
    }

    /** How much a memory says, 0..1: its index terms over {@code FULL_CONTENT_TERMS}, at most 1. */
    private double content(final int memory) {
        return Math.min(1.0, memories.terms(memory) / FULL_CONTENT_TERMS);
    }

    /**
     * Whether a memory containing the query terms of {@code mask} names one that few memories contain (at most
     * {@code ANSWER_MAX_DF}): a question about something specific, not just a name said everywhere.
     */
    private static boolean namesRareTerm(final RecallScratch s, final long mask) {
        for (long m = mask; m != 0; m &= m - 1) {
            final int df = s.queryTermDf[Long.numberOfTrailingZeros(m)];
            if (df > 0 && df <= ANSWER_MAX_DF) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code n} best memories so far as sources of shared score: their memory indexes in {@code s.bestMemories}
     * and their evidence in {@code s.bestMemoryScores}, best first; returns how many.
     */
    private int bestSources(final RecallScratch s, final int n) {
        final int top = topMemorySlots(s, Math.min(s.memorySlots, n));
        for (int i = 0; i < top; i++) {
            s.bestMemoryScores[i] = s.evidence(s.bestMemories[i]);
            s.bestMemories[i] = s.memory[s.bestMemories[i]];
        }
        return top;
    }

    /**
     * Multi-hop evidence: the rare concepts and rare words of the best memories (those containing at least
     * {@code LINK_SOURCE_WORDS} query words) that the query did not name (a relative's name, a pet's name) lead to the
     * other memories that mention them, which share part of the score (a rare word only to memories with evidence of
     * their own: {@link #linkOverWord}). A question
     * about "the pet of Ann's uncle" matches the turn naming the uncle; the turns about the pet name the uncle, not
     * the question's words. Only a concept or word in 2..{@code LINK_MAX_DF} memories links: rarity bounds the cost
     * and keeps hubs (a speaker's name, small talk) from linking everything. A linked memory takes the share of its
     * strongest link per source memory, so a long turn does not win by sharing many rare words, and what links add
     * stops just below the source's score: the next hop ranks after the memory that led to it, never above. With the
     * semantic index ({@code byMeaning}), the best memory also bridges by meaning ({@link #startBridgeByMeaning}).
     */
    private void shareOverLinkedConcepts(final TenantState t, final RecallScratch s, final boolean byMeaning) {
        final int top = bestSources(s, LINK_SOURCES);
        final int[] best = s.bestMemories;
        final double[] bestScore = s.bestMemoryScores;
        final int[] postings = s.linkPostings;
        for (int i = 0; i < top && bestScore[i] >= LINK_SOURCE_MIN * bestScore[0]; i++) {
            if (Long.bitCount(s.memoryTermMask[s.memorySlotOf.get(best[i])]) < LINK_SOURCE_WORDS) {
                continue; // a memory matching one word (often just a name) is too weak a lead to follow
            }
            final IntArrayList concepts = s.linkConcepts;
            if (!memories.readConcepts(best[i], concepts)) {
                continue;
            }
            s.clearLinks();
            if (byMeaning && i == 0) {
                startBridgeByMeaning(s, best[i]);
            }
            for (int c = 0; c < concepts.size(); c++) {
                final int concept = concepts.getInt(c);
                final int named = s.slotOf.get(concept);
                if ((named != RecallScratch.MISSING && s.direct[named]) || graph.tenantOf(concept) != t.id) {
                    continue;
                }
                final int df = graph.intListSize(concept, ConceptLayout.MEM_ADDR);
                if (df >= 2 && df <= LINK_MAX_DF) {
                    link(
                            s,
                            postings,
                            graph.readIntList(concept, ConceptLayout.MEM_ADDR, LINK_MAX_DF, postings),
                            bestScore[i] / Math.sqrt(df));
                }
                if (s.meaningSource >= 0 && df >= 2 && df <= BRIDGE_MAX_DF) {
                    final int[] naming = s.meaningPostings;
                    nearestByMeaning(
                            s, naming, graph.readIntList(concept, ConceptLayout.MEM_ADDR, BRIDGE_MAX_DF, naming));
                }
            }
            final double source = bestScore[i];
            final int[] terms = s.sourceTermIds(memoryTermIds.size(best[i]));
            final int words = memoryTermIds.read(best[i], terms);
            for (int w = words - 1; w >= 0; w--) {
                linkOverWord(s, TermIdLists.word(terms[w]), source);
            }
            final long sourceMask = s.memoryTermMask[s.memorySlotOf.get(best[i])];
            for (int w = words - 1; w >= 0; w--) {
                if (TermIdLists.saidAsName(terms[w])) {
                    bridgeOverName(s, TermIdLists.word(terms[w]), sourceMask, source);
                }
            }
            for (int l = 0; l < s.linkedCount; l++) {
                final int memory = s.linkedMemory[l];
                if (memory != best[i] && memories.exists(memory) && memories.tenant(memory) == t.id) {
                    final int slot = s.addMemoryScore(memory, 0, 0);
                    s.memoryLinked[slot] += LINK_SHARE * s.linkedShare[l];
                    s.memoryLinkCap[slot] = Math.max(s.memoryLinkCap[slot], bestScore[i]);
                }
            }
            s.meaningSource = -1; // only the best memory bridges by meaning
        }
        placeNearestByMeaning(t, s, bestScore[0]);
    }

    /**
     * The linking step's handling of one word of a source memory of score {@code source} (word record {@code rec}): a
     * word the question does not say, found in 2..{@link #LINK_MAX_DF} memories, links those of them that already have
     * evidence of their own (a query word, a concept, meaning, a session neighbour's or an earlier link's share) with
     * the source's score over the square root of that number. A rare word alone is no lead: "enormous" or "11th" said
     * in one other turn ties nothing to the question, yet took a third of the source's score (concepts and names
     * still lead to turns without evidence: {@link #shareOverLinkedConcepts}, {@link #bridgeOverName}). Measured on
     * the development set: recall_all@10 0.868 -> 0.871, multi-hop recall_all@20 0.800 -> 0.825, no metric fell on
     * any set. The words come from the memory's term ids ({@link TermIdLists}), not from analysing its text again.
     */
    private void linkOverWord(final RecallScratch s, final int rec, final double source) {
        if (s.isQueryTerm(rec)) {
            return;
        }
        final int df = memoryTerms.size(rec);
        if (df >= 2 && df <= LINK_MAX_DF) {
            final int[] postings = s.linkPostings;
            final int n = memoryTerms.read(rec, LINK_MAX_DF, postings);
            final double share = source / Math.sqrt(df);
            for (int p = 0; p < n; p++) {
                final int slot = s.memorySlotOf.get(postings[p]);
                if (slot != RecallScratch.MISSING && s.evidence(slot) > 0) {
                    s.link(postings[p], share);
                }
            }
        }
    }

    /**
     * Starts bridging by meaning from the best memory ({@code source}). A person, place or concept it introduces and
     * the query does not name ("Anselm is Rosa's aunt" for "What job does Rosa's aunt have?") is often said in many
     * turns, and the one that completes the answer shares no word with the question ("Anselm finally left retail and
     * works as a journalist now"): words cannot tell which, and the query's vector alone is no better, since a name
     * weighs heavily in a sentence vector ("Anselm lives in Zagreb" is as near). What marks the completing turn is that
     * it is near the question in what the source does not already say: of the memories naming such a name or concept
     * (the newest {@code BRIDGE_MAX_DF}, each in 2..{@code BRIDGE_MAX_DF} memories), the pick is the one whose cosine
     * with the query, less its cosine with the source, is highest, at least {@code -MEANING_BRIDGE_SLACK}, with a
     * cosine with the query above {@code MEANING_BRIDGE_FLOOR}. On the synthetic set (12,000 turns) the right picks
     * had a median lead of -0.04, the wrong ones -0.20. Once the tenant has a centre ({@link VectorCentre}), the
     * cosines are taken without it, with the query's above {@code MEANING_BRIDGE_CENTRED_FLOOR}.
     */
    private void startBridgeByMeaning(final RecallScratch s, final int source) {
        s.sourceScale = semantic.vectors().read(source, s.sourceVector);
        s.meaningSource = s.sourceScale == 0f ? -1 : source; // not embedded yet: nothing to subtract
        if (s.centre != null && s.sourceScale != 0f) {
            s.sourceDotCentre = s.centre.dot(semantic.vectors(), s.sourceVector, s.sourceScale);
        }
        s.meaningPick = -1;
        s.meaningLead = (float) -MEANING_BRIDGE_SLACK;
        s.meaningBudget = MEANING_BRIDGE_CANDIDATES;
    }

    /** Bridging by meaning: takes the memory of {@code postings} that leads the pick so far, if one does. */
    private void nearestByMeaning(final RecallScratch s, final int[] postings, final int n) {
        final VectorTable vectors = semantic.vectors();
        final VectorCentre centre = s.centre;
        final double floor = centre == null ? MEANING_BRIDGE_FLOOR : MEANING_BRIDGE_CENTRED_FLOOR;
        for (int p = 0; p < n && s.meaningBudget > 0; p++) {
            final int m = postings[p];
            if (m == s.meaningSource || m == s.meaningPick) {
                continue;
            }
            s.meaningBudget--;
            final float scale = vectors.read(m, s.vectorScratch); // read once for every product
            if (scale == 0f) {
                continue; // not embedded yet
            }
            final double memoryDotCentre = centre == null ? 0 : centre.dot(vectors, s.vectorScratch, scale);
            final double query = nearness(
                    centre,
                    vectors.dot(s.queryVector, s.queryScale, s.vectorScratch, scale),
                    s.queryDotCentre,
                    memoryDotCentre);
            if (query <= floor) {
                continue;
            }
            final double lead = query
                    - nearness(
                            centre,
                            vectors.dot(s.sourceVector, s.sourceScale, s.vectorScratch, scale),
                            s.sourceDotCentre,
                            memoryDotCentre);
            if (lead > s.meaningLead) {
                s.meaningLead = (float) lead;
                s.meaningPick = m;
            }
        }
    }

    /** The cosine of two unit vectors from their dot products, without the centre when the tenant has one. */
    private static double nearness(
            final VectorCentre centre, final double dot, final double aDotCentre, final double bDotCentre) {
        return centre == null ? dot : centre.centred(dot, aDotCentre, bDotCentre);
    }

    /**
     * Gives the pick by meaning, if any, a linked turn's score just below the {@code COMPLETION_AFTER_PLACE}th place
     * (or the source, if that is lower), so that a wrong pick does not take one of the first places from evidence
     * (diversification may still move it up among near-equal scores). Placed right after the source instead, the wrong
     * picks cost the synthetic set's single-hop questions 0.3 points of hit@5 and the development set's multi-hop MRR
     * 0.9 points.
     */
    private void placeNearestByMeaning(final TenantState t, final RecallScratch s, final double sourceScore) {
        final int pick = s.meaningPick;
        s.meaningPick = -1;
        if (pick < 0 || !memories.exists(pick) || memories.tenant(pick) != t.id) {
            return;
        }
        final int places = topMemorySlots(s, Math.min(s.memorySlots, COMPLETION_AFTER_PLACE));
        if (places == 0) {
            return;
        }
        final double bound = Math.min(sourceScore, s.evidence(s.bestMemories[places - 1]));
        final int slot = s.addMemoryScore(pick, 0, 0);
        s.memoryLinked[slot] += bound; // the cap keeps it just below the bound
        s.memoryLinkCap[slot] = Math.max(s.memoryLinkCap[slot], bound);
    }

    /**
     * For a question about the present ({@link QuestionShape#asksCurrent}: "Which city does Rosa live in now?"), the
     * later state of what the best memory states. The question asks in the words of the first statement ("Rosa lives
     * in Antwerp"); the change is said in others ("Rosa packed everything up and moved from Antwerp to Naples"), so
     * words alone rank it among the many memories that only name the subject. What ties the two is the subject and
     * the old value: of the memories newer than the best one that contain its subject (the best memory's rarest
     * query word) and share another of its words (each said in at most
     * {@code BRIDGE_MAX_DF} memories, weighted 1/sqrt of that number), the one sharing most, the newest on a tie, is
     * placed right after the best memory, as a linked turn. Neither may be a question (it states nothing to change),
     * and the best memory must hold {@code LINK_SOURCE_WORDS} query words. One memory only: a wrong pick costs one
     * place. Placing it above the best memory instead cost knowledge-update hit@1 on both development sets (the first
     * statement is often itself the newest).
     */
    private void followLaterStatement(final TenantState t, final RecallScratch s) {
        if (bestSources(s, 1) == 0) {
            return;
        }
        final int source = s.bestMemories[0];
        final double sourceScore = s.bestMemoryScores[0];
        final int sourceSlot = s.memorySlotOf.get(source);
        final long sourceMask = s.memoryTermMask[sourceSlot];
        if (Long.bitCount(sourceMask) < LINK_SOURCE_WORDS || memories.endsWithQuestion(source)) {
            return;
        }
        // the subject: the best memory's rarest query word (a name said in a few dozen memories, more often than not,
        // rather than the verb asked about, which the other statements of its kind share)
        long subject = 0;
        for (long m = sourceMask; m != 0; m &= m - 1) {
            final int q = Long.numberOfTrailingZeros(m);
            if (subject == 0 || s.queryTermDf[q] < s.queryTermDf[Long.numberOfTrailingZeros(subject)]) {
                subject = 1L << q;
            }
        }
        final long sourceTime = memories.timeMillis(source);
        final int[] postings = s.linkPostings;
        s.clearLinks();
        final int[] terms = s.sourceTermIds(memoryTermIds.size(source));
        for (int w = memoryTermIds.read(source, terms) - 1; w >= 0; w--) {
            final int rec = TermIdLists.word(terms[w]);
            final int df = memoryTerms.size(rec);
            if (s.isQueryTerm(rec) || df < 2 || df > BRIDGE_MAX_DF) {
                continue;
            }
            final int n = memoryTerms.read(rec, BRIDGE_MAX_DF, postings);
            final double weight = 1.0 / Math.sqrt(df);
            for (int p = 0; p < n; p++) {
                final int slot = s.memorySlotOf.get(postings[p]);
                if (slot != RecallScratch.MISSING
                        && postings[p] != source
                        && (s.memoryTermMask[slot] & subject) != 0
                        && memories.timeMillis(postings[p]) > sourceTime
                        && !memories.endsWithQuestion(postings[p])) {
                    s.addLink(postings[p], weight);
                }
            }
        }
        int pick = -1;
        for (int l = 0; l < s.linkedCount; l++) {
            if (pick < 0
                    || s.linkedShare[l] > s.linkedShare[pick]
                    || (s.linkedShare[l] == s.linkedShare[pick]
                            && memories.timeMillis(s.linkedMemory[l]) > memories.timeMillis(s.linkedMemory[pick]))) {
                pick = l;
            }
        }
        if (pick >= 0 && memories.exists(s.linkedMemory[pick]) && memories.tenant(s.linkedMemory[pick]) == t.id) {
            final int slot = s.addMemoryScore(s.linkedMemory[pick], 0, 0); // the slot it has, touched
            s.memoryLinked[slot] += sourceScore; // the cap keeps it just below the source
            s.memoryLinkCap[slot] = Math.max(s.memoryLinkCap[slot], sourceScore);
        }
    }

    /**
     * Bridges over a name: a person or place the source memory introduces and the query does not name ("Anselm is
     * Rosa's aunt" for "What job does Rosa's aunt have?") leads to the memories that name it too and also contain a
     * query word the source lacks ("Anselm got a job as a pharmacist"): together they cover the question's two halves.
     * The memories must already have evidence of their own (a query word), so a name said in up to
     * {@code BRIDGE_MAX_DF} memories links only the few that also match the other half, not all of them; the share is
     * a linked share, capped just below the source's score. The names are the words the source says as names (word
     * record {@code rec}; TermAnalyzer.forEachTerm tells them at indexing).
     */
    private void bridgeOverName(final RecallScratch s, final int rec, final long sourceMask, final double source) {
        if (s.isQueryTerm(rec)) {
            return;
        }
        final int df = memoryTerms.size(rec);
        final boolean byMeaning = s.meaningSource >= 0 && df >= 2;
        if ((df <= LINK_MAX_DF && !byMeaning) || df > BRIDGE_MAX_DF) {
            return; // a rarer name was linked with the rare words; a commoner one is said everywhere
        }
        final int[] postings = s.termPostings(BRIDGE_MAX_DF);
        final int read = memoryTerms.read(rec, BRIDGE_MAX_DF, postings);
        for (int p = 0; p < read && df > LINK_MAX_DF; p++) {
            final int slot = s.memorySlotOf.get(postings[p]);
            if (slot != RecallScratch.MISSING && namesRareTerm(s, s.memoryTermMask[slot] & ~sourceMask)) {
                s.link(postings[p], source);
            }
        }
        if (byMeaning) {
            nearestByMeaning(s, postings, read);
        }
    }

    /**
     * Second-stage evidence gathering for a question that asks for several things ({@link QuestionShape}): each of the
     * best {@code COMPLETION_SOURCES} memories (scoring at least {@code COMPLETION_SOURCE_MIN} of the best) brings the
     * next turn of its session, the reply that most often completes its part of the answer ("Callum was a hero with
     * that sofa" - "He's qualified now, ... electrician exams"; "your disk is at 78% of 200 GB, grow it?" - "Yes,
     * take it to 500 GB"), up to the place right after the first {@code COMPLETION_AFTER_PLACE}; when that reply asks
     * back ("I signed up for the Berlin marathon" - "Any target in mind?" - "Under three hours forty-five"), the answer
     * after it comes right after it. The first places
     * stay with the strongest evidence (moving a completion right after its source cost hit@5 on the development
     * set); the completions then come before the further matches for one half of the answer. What is added is a
     * session neighbour's share, so the score and its reason stay what placed the memory.
     */
    private void completeAnswers(final TenantState t, final RecallScratch s) {
        final int places = topMemorySlots(s, Math.min(s.memorySlots, COMPLETION_AFTER_PLACE));
        if (places == 0) {
            return;
        }
        // the sources are among the first places, so the last of those bounds every completion
        final double target = COMPLETION_CAP * s.evidence(s.bestMemories[places - 1]);
        final int top = bestSources(s, COMPLETION_SOURCES);
        final int[] best = s.bestMemories;
        final double[] bestScore = s.bestMemoryScores;
        for (int i = 0; i < top && bestScore[i] >= COMPLETION_SOURCE_MIN * bestScore[0]; i++) {
            final int reply = completeWithNext(t, s, best[i], target);
            // a reply that asks back ("Do you have a target time in mind?"): the answer after it, just below it
            if (reply >= 0 && memories.endsWithQuestion(reply)) {
                completeWithNext(t, s, reply, COMPLETION_CAP * target);
            }
        }
    }

    /**
     * Raises the turn after {@code memory} in its session to {@code target} with a session neighbour's share.
     *
     * @return that turn, or -1 when there is none in the tenant.
     */
    private int completeWithNext(final TenantState t, final RecallScratch s, final int memory, final double target) {
        final int next = memories.next(memory);
        if (next < 0 || memories.tenant(next) != t.id) {
            return -1;
        }
        final int slot = s.addMemoryScore(next, 0, 0); // may grow the arrays: index after
        s.memoryNeighbour[slot] += Math.max(0.0, target - s.evidence(slot));
        return next;
    }

    /** Keeps, per memory, the strongest link share seen from the current source. */
    private static void link(final RecallScratch s, final int[] postings, final int n, final double share) {
        for (int p = 0; p < n; p++) {
            s.link(postings[p], share);
        }
    }

    /**
     * Moves a memory whose text repeats one ranked above it (the same words said again in another session: "Did Ann
     * ever return your umbrella?") behind all the others, keeping the order otherwise: a repeat adds no evidence and
     * would take a place from another piece of the answer. The first copy (the higher score, or the newer) stays.
     * Compared in place, without decoding, and only where a repeat is possible: texts that say the same words have
     * the same term count ({@link MemoryTable#terms}, in the record scoring already read), so only a candidate whose
     * count another candidate shares has its texts read, once, into a fingerprint
     * ({@link MemoryTable#textFingerprint}), and only two equal fingerprints are compared byte for byte
     * ({@link MemoryTable#sameText}). Comparing every pair in place read two records and two blobs per pair, a seventh
     * of a recall's time. Reads {@code ranked[0, n)} and writes the new order into {@code out}, a different array.
     */
    private void restatementsLast(final RecallScratch s, final int[] ranked, final int n, final int[] out) {
        final int[] terms = s.candidateTerms(n);
        final long[] prints = s.candidatePrints(n);
        for (int i = 0; i < n; i++) {
            terms[i] = memories.terms(s.memory[ranked[i]]);
        }
        for (int i = 0; i < n; i++) {
            prints[i] = 0; // matches nothing: no other candidate has as many terms
            for (int k = 0; k < n; k++) {
                if (k != i && terms[k] == terms[i]) {
                    prints[i] = memories.textFingerprint(s.memory[ranked[i]]);
                    break;
                }
            }
        }
        final long[] keptPrints = s.keptPrints(n);
        int kept = 0;
        int repeats = n;
        for (int i = 0; i < n; i++) {
            final long print = prints[i];
            boolean repeat = false;
            for (int j = 0; j < kept && !repeat; j++) {
                repeat = print != 0
                        && keptPrints[j] == print
                        && memories.sameText(s.memory[ranked[i]], s.memory[out[j]]);
            }
            if (repeat) {
                out[--repeats] = ranked[i];
            } else {
                keptPrints[kept] = print;
                out[kept++] = ranked[i];
            }
        }
        // the repeats were written back to front: restore their order
        for (int i = kept, j = n - 1; i < j; i++, j--) {
            final int swap = out[i];
            out[i] = out[j];
            out[j] = swap;
        }
    }

    /**
     * Maximal marginal relevance over the best candidates ({@code ranked}, best first), with the semantic index: each
     * next place goes to the candidate whose score, less {@code DIVERSITY_PENALTY} x the best score x its overlap with
     * a memory already placed, is highest; overlap is how far the two memories' cosine is above
     * {@code DIVERSITY_COSINE}, scaled to 0..1. Ten restatements of one turn then leave room for the other pieces of
     * a multi-part answer. Without sentence vectors the order stays (overlap by shared query words was tried and lost
     * 2-3 points of recall_all@10 on the development set: the pieces of one answer often share the question's words).
     * Reorders {@code ranked[0, n)} in place and returns how many of its first places are kept: {@code keep} at most.
     */
    private int diversify(
            final RecallScratch s, final int[] ranked, final int n, final int keep, final boolean vectors) {
        final int places = Math.min(n, keep);
        if (!vectors || n == 0) {
            return places; // the order stays, in place
        }
        final VectorTable table = semantic.vectors();
        final double penalty = DIVERSITY_PENALTY * score(s, ranked[0]);
        final int[] out = s.diversified(places);
        final boolean[] used = s.diversityUsed(n);
        for (int placed = 0; placed < places; placed++) {
            int choice = -1;
            double choiceValue = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                if (used[c]) {
                    continue;
                }
                double overlap = 0;
                final float scale = table.read(s.memory[ranked[c]], s.queryVector); // the query's vector is spent
                for (int p = 0; p < placed && scale != 0f; p++) {
                    final double cosine = table.dot(s.queryVector, scale, s.memory[out[p]], s.vectorScratch);
                    overlap = Math.max(overlap, (cosine - DIVERSITY_COSINE) / (1 - DIVERSITY_COSINE));
                }
                final double value = score(s, ranked[c]) - penalty * overlap;
                if (value > choiceValue) {
                    choiceValue = value;
                    choice = c;
                }
            }
            used[choice] = true;
            out[placed] = ranked[choice];
        }
        System.arraycopy(out, 0, ranked, 0, places);
        return places;
    }

    /**
     * Marks the memories in the time the query names. An absolute time ("in March 2023") is checked directly; a
     * relative one ("the week after the party") is anchored at {@code anchor}, the time of the best memory found by
     * words and graph ({@link #anchorTime}), the one that names the event.
     */
    private void markNamedTime(final RecallScratch s, final TimeExpression time, final long anchor) {
        s.forgetLeaders(); // the factor may change any slot's score, up or down
        if (time.kind() == TimeExpression.Kind.ABSOLUTE) {
            for (int slot = 0; slot < s.memorySlots; slot++) {
                s.memoryInTime[slot] = time.matches(memoryTime(s, slot));
            }
            return;
        }
        if (anchor == NO_ANCHOR) {
            return;
        }
        for (int slot = 0; slot < s.memorySlots; slot++) {
            s.memoryInTime[slot] = time.windowAfterAnchor(anchor, memoryTime(s, slot));
        }
    }

    /**
     * For a question naming a time relative to an event ("the week after the housewarming party"), semantic evidence
     * counts only inside that time, once some memory is in it. The window is anchored on the turn that names the
     * event, so it is tight and meant; outside it, what is near the question by meaning is what any week sounds like
     * ("What did you do this week?"), and its evidence (as much as the best match by words) outweighed the answers
     * inside the window even when they count double: the hard development split's temporal hit@5 was 0.719 with the
     * index against 0.875 without. An absolute time ("in February") keeps its semantic evidence everywhere: an event
     * in it is often told before it ("I start at Lumen in February", said in January), and taking it away there cost
     * a development question its answer.
     */
    private static void semanticOnlyInWindow(final RecallScratch s) {
        boolean any = false;
        for (int slot = 0; slot < s.memorySlots && !any; slot++) {
            any = s.memoryInTime[slot];
        }
        if (!any) {
            return;
        }
        for (int slot = 0; slot < s.memorySlots; slot++) {
            if (!s.memoryInTime[slot]) {
                s.memorySemantic[slot] = 0;
            }
        }
    }

    /** The time of the best memory so far, or {@code NO_ANCHOR} when none matched. */
    private long anchorTime(final RecallScratch s) {
        if (topMemorySlots(s, Math.min(s.memorySlots, 1)) == 0) {
            return NO_ANCHOR;
        }
        return memoryTime(s, s.bestMemories[0]);
    }

    /**
     * Moves a newer memory above the best-placed older one that contains exactly the same query words (at least
     * {@code NEWER_MIN_WORDS} of them), when the newer
     * states it at least {@code NEWER_WITHIN} as well ({@link #statement}): the same fact restated ("I live in Lisbon now" after "I live in
     * Ghent now") - the newer statement is the current one. Applied front to back, so a chain of restatements ends
     * newest first. Returns, per final position of {@code order[0, n)}, whether that memory was moved up as the newer
     * statement (the scratch's flags: valid until the next recall).
     */
    private boolean[] newerStatementsFirst(final RecallScratch s, final int[] order, final int n) {
        final boolean[] newer = s.newerFlags(n);
        for (int i = 1; i < n; i++) {
            final int candidate = order[i];
            final long mask = s.memoryTermMask[candidate];
            final long time = memoryTime(s, candidate);
            final double statement = statement(s, candidate);
            int target = -1;
            for (int j = 0; j < i && Long.bitCount(mask) >= NEWER_MIN_WORDS; j++) {
                if (s.memoryTermMask[order[j]] == mask
                        && memoryTime(s, order[j]) < time
                        && statement >= NEWER_WITHIN * statement(s, order[j])) {
                    target = j;
                    break;
                }
            }
            if (target >= 0) {
                System.arraycopy(order, target, order, target + 1, i - target);
                System.arraycopy(newer, target, newer, target + 1, i - target);
                order[target] = candidate;
                newer[target] = true;
            }
        }
        return newer;
    }

    /**
     * How well the memory itself states what the query asks (its words and concepts, in the named time), leaving out
     * what neighbours and linked memories lent it: two statements of one fact are compared on this.
     */
    private static double statement(final RecallScratch s, final int slot) {
        return (s.memoryScore[slot] + s.memoryLexical[slot] + s.memorySemantic[slot])
                * (s.memoryInTime[slot] ? NAMED_TIME_FACTOR : 1.0);
    }

    /** The ranking score: the memory's evidence, doubled inside the time the query names. */
    private static double score(final RecallScratch s, final int slot) {
        return s.evidence(slot) * (s.memoryInTime[slot] ? NAMED_TIME_FACTOR : 1.0);
    }

    /**
     * Fills {@code s.bestMemories} with the slots of the {@code n} best memories, best first (higher score, then
     * newer, then the slot found first); returns how many. Memory evidence is gathered in steps that each rank the
     * memories first, so the ranking of {@code s.leaderDepth} places is kept ({@link RecallScratch#leaders}) and the
     * next one orders only the kept places and the slots touched since, not every slot again. A bounded insertion:
     * most candidates lose to the last place in one comparison.
     */
    private int topMemorySlots(final RecallScratch s, final int n) {
        if (n > s.leaderDepth) {
            s.forgetLeaders();
            return rank(s, n, 0, s.memorySlots, null);
        }
        final int size = s.leadersValid ? rankAgain(s) : rank(s, s.leaderDepth, 0, s.memorySlots, null);
        s.keepLeaders(s.bestMemories, size);
        return Math.min(size, n);
    }

    /** The kept leaders and the slots touched since, ranked into {@code s.bestMemories}: the touched first. */
    private int rankAgain(final RecallScratch s) {
        final int size = rank(s, s.leaderDepth, 0, s.touchedCount, s.touched);
        return rankMore(s, size, s.leaders, s.leaderCount);
    }

    /**
     * Ranks the slots {@code from..to} (or {@code candidates[from..to)}, when given) into a fresh
     * {@code s.bestMemories} of at most {@code n} places; returns how many are filled.
     */
    private int rank(final RecallScratch s, final int n, final int from, final int to, final int[] candidates) {
        final int[] best = s.bestMemories(n);
        final double[] bestScore = s.placeScores;
        int size = 0;
        for (int i = from; i < to; i++) {
            size = place(s, candidates == null ? i : candidates[i], n, size, best, bestScore);
        }
        return size;
    }

    /** Adds the untouched of the kept leaders to the {@code size} places already ranked; returns the new size. */
    private int rankMore(final RecallScratch s, final int size, final int[] leaders, final int count) {
        final int[] best = s.bestMemories;
        final double[] bestScore = s.placeScores;
        int filled = size;
        for (int i = 0; i < count; i++) {
            if (!s.touchedSinceRanking(leaders[i])) {
                filled = place(s, leaders[i], s.leaderDepth, filled, best, bestScore);
            }
        }
        return filled;
    }

    /** Inserts {@code slot} into the {@code size} ranked places, at most {@code n}; returns the new size. */
    private int place(
            final RecallScratch s,
            final int slot,
            final int n,
            final int size,
            final int[] best,
            final double[] bestScore) {
        final double score = score(s, slot);
        if (size == n && !betterMemory(s, slot, score, best[size - 1], bestScore[size - 1])) {
            return size;
        }
        final int filled = size == n ? size : size + 1;
        int j = filled - 1;
        while (j > 0 && betterMemory(s, slot, score, best[j - 1], bestScore[j - 1])) {
            best[j] = best[j - 1];
            bestScore[j] = bestScore[j - 1];
            j--;
        }
        best[j] = slot;
        bestScore[j] = score;
        return filled;
    }

    /**
     * Whether slot {@code a} (of score {@code scoreA}) ranks before slot {@code b}: higher score, then newer, then the
     * slot found first (a lower slot), so that the order is total and a ranking of any set of candidates agrees with
     * one of all slots.
     */
    private boolean betterMemory(
            final RecallScratch s, final int a, final double scoreA, final int b, final double scoreB) {
        if (scoreA != scoreB) {
            return scoreA > scoreB;
        }
        final long timeA = memoryTime(s, a);
        final long timeB = memoryTime(s, b);
        return timeA != timeB ? timeA > timeB : a < b;
    }

    /** The slot's turn time, read from the memory table once per recall. */
    private long memoryTime(final RecallScratch s, final int slot) {
        long time = s.memoryTime[slot];
        if (time == RecallScratch.UNREAD_TIME) {
            time = memories.timeMillis(s.memory[slot]);
            s.memoryTime[slot] = time;
        }
        return time;
    }

    /** The concept's info block, or 0 when it has none or was forgotten. */
    private long infoAddress(final int id) {
        final long addr = graph.getLong(id, ConceptLayout.INFO_ADDR);
        return addr == 0 || graph.tenantOf(id) == ConceptLayout.DELETED ? 0 : addr;
    }
}
