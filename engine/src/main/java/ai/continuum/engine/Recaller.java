package ai.continuum.engine;

import ai.continuum.engine.store.CompoundTable;
import ai.continuum.engine.store.ConceptGraph;
import ai.continuum.engine.store.ConceptLayout;
import ai.continuum.engine.store.MemoryTable;
import ai.continuum.engine.store.StringIndex;
import ai.continuum.engine.store.WordIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Recall (DESIGN 3, steps 2-8) over the off-heap state: seed the query's concepts, spread activation, rank, collect
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
    /** Concepts whose postings feed memory scoring, strongest first. */
    private static final int MEMORY_SOURCE_CONCEPTS = 32;
    /** Newest memories read per concept when scoring. */
    private static final int POSTINGS_PER_CONCEPT = 256;
    /** Compounds read per exact query concept, and kept per concept (SPEC 2.6 step 5). */
    private static final int COMPOUNDS_READ = 64;
    private static final int COMPOUNDS_KEPT = 5;
    private static final double DAY_MILLIS = 86_400_000.0;

    private final EngineConfig config;
    private final ConceptGraph graph;
    private final StringIndex dictionary;
    private final WordIndex words;
    private final MemoryTable memories;
    private final CompoundTable compounds;
    private final LongSupplier clock;

    Recaller(
        final EngineConfig config, final ConceptGraph graph, final StringIndex dictionary, final WordIndex words,
        final MemoryTable memories, final CompoundTable compounds, final LongSupplier clock) {
        this.config = config;
        this.graph = graph;
        this.dictionary = dictionary;
        this.words = words;
        this.memories = memories;
        this.compounds = compounds;
        this.clock = clock;
    }

    RecallResult recall(
        final TenantState t, final List<String> queryConcepts, final List<String> keywords, final int maxConcepts,
        final int maxMemories, final RecallScratch s, final long startNanos) {
        s.reset();
        seed(t, queryConcepts, keywords, s);
        final int seeds = s.slots;
        spread(s);
        final List<RecallResult.ConceptHit> hits = new ArrayList<>();
        final int[] ranked = rank(s);
        final List<Integer> returnedIds = new ArrayList<>();
        final List<CompoundHit> compoundHits = compoundsOf(t, s, seeds);
        int ci = 0;
        int ki = 0;
        while (hits.size() < maxConcepts && (ci < s.slots || ki < compoundHits.size())) {
            final double conceptRelevance = ci < s.slots ? s.activation[ranked[ci]] : -1;
            final double compoundRelevance = ki < compoundHits.size() ? compoundHits.get(ki).relevance : -1;
            if (conceptRelevance >= compoundRelevance) {
                final int slot = ranked[ci++];
                final ConceptInfo info = info(s.concept[slot]);
                if (info == null) {
                    continue;
                }
                hits.add(new RecallResult.ConceptHit(info.displayName(), info.type(), info.description(),
                    s.activation[slot], s.direct[slot] ? RecallResult.Source.DIRECT : RecallResult.Source.GRAPH_NEIGHBOR,
                    s.depth[slot]));
                returnedIds.add(s.concept[slot]);
            } else {
                final CompoundHit c = compoundHits.get(ki++);
                hits.add(new RecallResult.ConceptHit(c.name, "compound_concept", "Components: " + c.components,
                    c.relevance, RecallResult.Source.COMPOUND, 0));
            }
        }
        final List<RecallResult.Relationship> relationships = relationships(returnedIds);
        final List<RecallResult.MemoryHit> memoryHits = memories(t, s, ranked, maxMemories);
        final String context = ContextBlock.render(hits, relationships, memoryHits, config.workingMemoryCapacity());
        return new RecallResult(hits, relationships, memoryHits, context, System.nanoTime() - startNanos);
    }

    /** Step 2: exact matches at 1.0, partial (word) matches at {@code partialMatchRelevance}. */
    private void seed(final TenantState t, final List<String> queryConcepts, final List<String> keywords,
                      final RecallScratch s) {
        for (final String name : queryConcepts) {
            exact(t, ConceptKeys.normalize(name), s);
        }
        for (final String keyword : keywords) {
            exact(t, keyword, s);
        }
        int partial = 0;
        final int maxPartial = config.maxPartialMatches();
        final int[] found = s.postings(maxPartial + 1);
        for (int q = 0; q < queryConcepts.size() + keywords.size() && partial < maxPartial; q++) {
            final String text = q < queryConcepts.size()
                ? ConceptKeys.normalize(queryConcepts.get(q)) : keywords.get(q - queryConcepts.size());
            final int[] counter = {partial};
            WordIndex.forEachWord(text, (start, end) -> {
                if (counter[0] >= maxPartial) {
                    return;
                }
                final int rec = words.find(t.id, text.subSequence(start, end), s.wordProbe);
                if (rec == StringIndex.MISSING) {
                    return;
                }
                final int n = words.read(rec, maxPartial, found);
                for (int i = 0; i < n && counter[0] < maxPartial; i++) {
                    if (s.slotOf.get(found[i]) == RecallScratch.MISSING && graph.tenantOf(found[i]) == t.id) {
                        s.activate(found[i], config.partialMatchRelevance(), 0, true);
                        counter[0]++;
                    }
                }
            });
            partial = counter[0];
        }
        for (int i = 0; i < s.slots; i++) {
            s.pushNext(s.concept[i]);
        }
        s.advance();
    }

    private void exact(final TenantState t, final String key, final RecallScratch s) {
        final int id = dictionary.get(t.id, key, s.probe);
        if (id != StringIndex.MISSING) {
            s.activate(id, 1.0, 0, true);
        }
    }

    /** Step 3: spreading activation over the strongest links, {@code depth} hops. Allocation-free. */
    void spread(final RecallScratch s) {
        final int k = config.neighboursPerHop();
        final double decay = config.resonanceDecay();
        final boolean timeDecay = config.timeDecayEnabled();
        final long now = timeDecay ? clock.getAsLong() : 0L;
        for (int hop = 1; hop <= config.depth() && s.frontierSize > 0; hop++) {
            for (int f = 0; f < s.frontierSize; f++) {
                final int from = s.frontier[f];
                final double parent = s.activation[s.slotOf.get(from)];
                final int n = graph.readNeighbours(from, k, s.neighbours, s.linkIds, s.counts);
                for (int i = 0; i < n; i++) {
                    final double days = timeDecay
                        ? Math.max(0L, now - graph.linkLastSeen(s.linkIds[i])) / DAY_MILLIS : 0.0;
                    final double value = parent * config.strength(s.counts[i], days) * decay;
                    if (s.activate(s.neighbours[i], value, hop, false)) {
                        s.pushNext(s.neighbours[i]);
                    }
                }
            }
            s.advance();
        }
    }

    /** Step 5: slots by activation, highest first; ties: fewer hops, then earlier slot. */
    private static int[] rank(final RecallScratch s) {
        final int[] order = s.ranked(s.slots);
        for (int i = 0; i < s.slots; i++) {
            order[i] = i;
        }
        // insertion sort over a few hundred slots at most: no boxing, stable
        for (int i = 1; i < s.slots; i++) {
            final int v = order[i];
            int j = i - 1;
            while (j >= 0 && before(s, v, order[j])) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = v;
        }
        return order;
    }

    private static boolean before(final RecallScratch s, final int a, final int b) {
        if (s.activation[a] != s.activation[b]) {
            return s.activation[a] > s.activation[b];
        }
        return s.depth[a] < s.depth[b];
    }

    private record CompoundHit(String name, String components, double relevance) {
    }

    /** Step 4: compounds containing an exact query concept, highest count first. */
    private List<CompoundHit> compoundsOf(final TenantState t, final RecallScratch s, final int seeds) {
        final List<CompoundHit> out = new ArrayList<>();
        final java.util.Set<Integer> seen = new java.util.HashSet<>();
        final int[] recs = new int[COMPOUNDS_READ];
        for (int i = 0; i < seeds; i++) {
            if (s.activation[i] < 1.0) {
                continue;
            }
            final int n = graph.readIntList(s.concept[i], ConceptLayout.CMP_ADDR, COMPOUNDS_READ, recs);
            final List<int[]> candidates = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (compounds.exists(recs[j]) && compounds.tenant(recs[j]) == t.id) {
                    candidates.add(new int[] {recs[j], compounds.count(recs[j])});
                }
            }
            candidates.sort((x, y) -> Integer.compare(y[1], x[1]));
            for (int j = 0; j < Math.min(COMPOUNDS_KEPT, candidates.size()); j++) {
                final int rec = candidates.get(j)[0];
                if (!seen.add(rec)) {
                    continue;
                }
                final List<String> names = new ArrayList<>();
                for (int c = 0; c < compounds.componentCount(rec); c++) {
                    final ConceptInfo info = info(compounds.component(rec, c));
                    if (info != null) {
                        names.add(info.displayName());
                    }
                }
                if (names.size() < 2) {
                    continue;
                }
                final double relevance = Math.min(0.9, 0.5 + 0.1 * candidates.get(j)[1]);
                out.add(new CompoundHit(CompoundNames.name(names), CompoundNames.json(names), relevance));
            }
        }
        out.sort((x, y) -> Double.compare(y.relevance, x.relevance));
        return out;
    }

    /** Step 6: links among the returned concepts, strongest first. */
    private List<RecallResult.Relationship> relationships(final List<Integer> ids) {
        final List<RecallResult.Relationship> out = new ArrayList<>();
        if (ids.size() < 2 || config.maxRelationships() == 0) {
            return out;
        }
        final java.util.Map<Integer, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            position.put(ids.get(i), i);
        }
        final int scan = Math.max(config.neighboursPerHop(), 64);
        final int[] neighbours = new int[scan];
        final int[] links = new int[scan];
        final int[] counts = new int[scan];
        final long now = clock.getAsLong();
        final List<double[]> found = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            final int n = graph.readNeighbours(ids.get(i), scan, neighbours, links, counts);
            for (int j = 0; j < n; j++) {
                final Integer other = position.get(neighbours[j]);
                if (other != null && other > i) {
                    final double days = config.timeDecayEnabled()
                        ? Math.max(0L, now - graph.linkLastSeen(links[j])) / DAY_MILLIS : 0.0;
                    found.add(new double[] {config.strength(counts[j], days), i, other});
                }
            }
        }
        found.sort((x, y) -> Double.compare(y[0], x[0]));
        for (int i = 0; i < Math.min(found.size(), config.maxRelationships()); i++) {
            final double[] f = found.get(i);
            final ConceptInfo a = info(ids.get((int) f[1]));
            final ConceptInfo b = info(ids.get((int) f[2]));
            if (a != null && b != null) {
                out.add(new RecallResult.Relationship(a.displayName(), b.displayName(), "co-occurrence", f[0]));
            }
        }
        return out;
    }

    /**
     * Step 7: memories scored by the activations of the concepts they mention, each weighted by how rare the concept
     * is in the tenant's memories (inverse document frequency), so a hub concept mentioned everywhere does not
     * drown the specific ones.
     */
    private List<RecallResult.MemoryHit> memories(
        final TenantState t, final RecallScratch s, final int[] ranked, final int maxMemories) {
        final List<RecallResult.MemoryHit> out = new ArrayList<>();
        if (maxMemories == 0 || s.slots == 0) {
            return out;
        }
        final double total = Math.max(1, t.liveMemories);
        final int sources = Math.min(s.slots, MEMORY_SOURCE_CONCEPTS);
        final int[] postings = new int[POSTINGS_PER_CONCEPT];
        for (int r = 0; r < sources; r++) {
            final int slot = ranked[r];
            final int id = s.concept[slot];
            final int df = graph.intListSize(id, ConceptLayout.MEM_ADDR);
            if (df == 0) {
                continue;
            }
            final double idf = Math.log(1.0 + total / df);
            final int n = graph.readIntList(id, ConceptLayout.MEM_ADDR, POSTINGS_PER_CONCEPT, postings);
            for (int i = 0; i < n; i++) {
                s.addMemoryScore(postings[i], s.activation[slot] * idf);
            }
        }
        final Integer[] order = new Integer[s.memorySlots];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> {
            final int byScore = Double.compare(s.memoryScore[y], s.memoryScore[x]);
            if (byScore != 0) {
                return byScore;
            }
            return Long.compare(memories.timeMillis(s.memory[y]), memories.timeMillis(s.memory[x]));
        });
        final String[] strings = new String[MemoryTable.STRINGS];
        for (int i = 0; i < order.length && out.size() < maxMemories; i++) {
            final Memory m = MemoryReader.read(memories, graph, s.memory[order[i]], t.id, strings);
            if (m != null) {
                out.add(new RecallResult.MemoryHit(m, s.memoryScore[order[i]]));
            }
        }
        return out;
    }

    private ConceptInfo info(final int id) {
        final long addr = graph.getLong(id, ConceptLayout.INFO_ADDR);
        if (addr == 0 || graph.tenantOf(id) == ConceptLayout.DELETED) {
            return null;
        }
        return ConceptInfo.read(graph.arena(), addr);
    }
}
