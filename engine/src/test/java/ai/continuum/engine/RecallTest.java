package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecallTest {
    private static final long T0 = 1_700_000_000_000L;
    private final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0);

    @AfterEach
    void close() {
        engine.close();
    }

    /**
     * alpha -7- bravo -1- charlie, alpha -3- delta (counts): strengths 1.0, 0.1, 0.4.
     * From alpha: bravo 1.0 x 1.0 x 0.85, delta 1.0 x 0.4 x 0.85, charlie 0.85 x 0.1 x 0.85 at depth 2.
     */
    @Test
    void shouldSpreadActivationWithExactRelevancesOnAHandBuiltGraph() {
        engine.apply("t", Deltas.link("Alpha", "Bravo", 7, T0));
        engine.apply("t", Deltas.link("Bravo", "Charlie", 1, T0));
        engine.apply("t", Deltas.link("Alpha", "Delta", 3, T0));

        final RecallResult r = engine.recall("t", "what about alpha?");
        final Map<String, RecallResult.ConceptHit> byName =
                r.concepts().stream().collect(Collectors.toMap(RecallResult.ConceptHit::name, h -> h));

        assertEquals(
                List.of("Alpha", "Bravo", "Delta", "Charlie"),
                r.concepts().stream().map(RecallResult.ConceptHit::name).toList());
        assertEquals(1.0, byName.get("Alpha").relevance(), 1e-12);
        assertEquals(RecallResult.Source.DIRECT, byName.get("Alpha").source());
        assertEquals(0.85, byName.get("Bravo").relevance(), 1e-12);
        assertEquals(1, byName.get("Bravo").depth());
        assertEquals(RecallResult.Source.GRAPH_NEIGHBOR, byName.get("Bravo").source());
        assertEquals(0.34, byName.get("Delta").relevance(), 1e-12);
        assertEquals(0.85 * 0.1 * 0.85, byName.get("Charlie").relevance(), 1e-12);
        assertEquals(2, byName.get("Charlie").depth());
    }

    @Test
    void shouldResonateLikeRecallThroughTheAllocationFreeCursor() {
        engine.apply("t", Deltas.link("Alpha", "Bravo", 7, T0));
        engine.apply("t", Deltas.link("Bravo", "Charlie", 1, T0));
        final ResonanceCursor cursor = engine.newResonanceCursor();
        assertEquals(3, engine.resonate("t", new CharSequence[] {"alpha"}, 1, 10, cursor));
        assertEquals("Alpha", cursor.name(0));
        assertEquals(0.85, cursor.activation(1), 1e-12);
        assertEquals(0.85 * 0.1 * 0.85, cursor.activation(2), 1e-12);
        assertEquals(2, cursor.depth(2));
        assertEquals(0, engine.resonate("nobody", new CharSequence[] {"alpha"}, 1, 10, cursor));
    }

    @Test
    void shouldKeepTheBestPathActivation() {
        engine.apply("t", Deltas.link("Alpha", "Bravo", 1, T0)); // 0.1 direct
        engine.apply("t", Deltas.link("Alpha", "Delta", 7, T0)); // 1.0
        engine.apply("t", Deltas.link("Delta", "Bravo", 7, T0)); // 1.0: via delta 0.85 * 0.85 = 0.7225 > 0.085
        final RecallResult r = engine.recall("t", "alpha");
        final RecallResult.ConceptHit bravo = r.concepts().stream()
                .filter(h -> h.name().equals("Bravo"))
                .findFirst()
                .orElseThrow();
        assertEquals(0.7225, bravo.relevance(), 1e-12);
        assertEquals(2, bravo.depth());
    }

    /**
     * Hotel is reached twice in the first hop, weakly from Alpha and then strongly from Golf; it is expanded once in
     * the second hop, with the stronger activation: India gets 0.85 x 0.85, not 0.085 x 0.85.
     */
    @Test
    void shouldExpandAConceptRaisedTwiceInOneHopWithItsBestActivation() {
        engine.apply("t", Deltas.link("Alpha", "Hotel", 1, T0)); // 0.1
        engine.apply("t", Deltas.link("Golf", "Hotel", 7, T0)); // 1.0
        engine.apply("t", Deltas.link("Hotel", "India", 7, T0)); // 1.0
        final Map<String, RecallResult.ConceptHit> byName = engine.recall("t", "alpha and golf").concepts().stream()
                .collect(Collectors.toMap(RecallResult.ConceptHit::name, h -> h));
        assertEquals(0.85, byName.get("Hotel").relevance(), 1e-12);
        assertEquals(0.7225, byName.get("India").relevance(), 1e-12);
        assertEquals(2, byName.get("India").depth());
    }

    @Test
    void shouldSeedPartialWordMatchesAtSevenTenths() {
        engine.apply("t", Deltas.concepts(T0, "Machine Learning"));
        final RecallResult r = engine.recall("t", "tell me about learning");
        assertEquals(1, r.concepts().size());
        assertEquals("Machine Learning", r.concepts().get(0).name());
        assertEquals(0.7, r.concepts().get(0).relevance(), 1e-12);
        assertEquals(RecallResult.Source.DIRECT, r.concepts().get(0).source());
    }

    @Test
    void shouldFollowOnlyTheStrongestNeighboursPerHop() {
        for (int i = 0; i < 15; i++) {
            engine.apply("t", Deltas.link("Centre", "Leaf" + (char) ('a' + i), i + 1, T0));
        }
        final RecallResult r = engine.recall("t", "centre", 100, 0);
        assertEquals(11, r.concepts().size(), "the hub and its 10 strongest neighbours");
        assertFalse(r.concepts().stream().anyMatch(h -> h.name().equals("Leafa")), "weakest leaf not followed");
        assertTrue(r.concepts().stream().anyMatch(h -> h.name().equals("Leafo")));
    }

    @Test
    void shouldRankMemoriesMentioningRareQueryConceptsFirst() {
        engine.apply("t", Deltas.memory(1, "I love Python", "Python is great", T0, "Python"));
        engine.apply("t", Deltas.memory(2, "Python and Rust", "Both compile", T0 + 1, "Python", "Rust"));
        engine.apply("t", Deltas.memory(3, "Gardening tips", "Water daily", T0 + 2, "Gardening"));
        engine.apply("t", Deltas.memory(4, "More Python", "Yes", T0 + 3, "Python"));

        final RecallResult r = engine.recall("t", "what do I think about rust", 10, 5);
        assertEquals(2L, r.memories().get(0).memory().id(), "the only memory naming the query concept");
        assertFalse(r.memories().stream().anyMatch(m -> m.memory().id() == 3L), "unrelated memory not returned");
        assertTrue(r.context().contains("Relevant memories:"));
    }

    @Test
    void shouldLetSessionNeighboursOfAStrongMatchShareItsScore() {
        engine.apply(
                "t",
                new Delta(
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(
                                new Delta.MemoryDelta(1, "chat", "What is your new job?", "", "", "", T0, List.of()),
                                new Delta.MemoryDelta(
                                        2,
                                        "chat",
                                        "I work night shifts at the hospital as a nurse",
                                        "",
                                        "",
                                        "",
                                        T0 + 1,
                                        List.of()),
                                new Delta.MemoryDelta(3, "other", "Gardening tips", "", "", "", T0 + 2, List.of())),
                        List.of()));
        final RecallResult r = engine.recall("t", "what is the new job", 10, 5);
        assertEquals(
                List.of(1L, 2L),
                r.memories().stream().map(m -> m.memory().id()).toList(),
                "the reply in the same session comes back with the matching turn");
    }

    @Test
    void shouldReturnLinksAmongReturnedConceptsStrongestFirst() {
        engine.apply("t", Deltas.link("Alpha", "Bravo", 7, T0));
        engine.apply("t", Deltas.link("Alpha", "Delta", 2, T0));
        engine.apply("t", Deltas.link("Bravo", "Delta", 4, T0));
        final RecallResult r = engine.recall("t", "alpha");
        assertEquals(3, r.relationships().size());
        assertEquals(1.0, r.relationships().get(0).strength(), 1e-12);
        assertEquals(0.55, r.relationships().get(1).strength(), 1e-12);
        assertEquals(0.25, r.relationships().get(2).strength(), 1e-12);
    }

    @Test
    void shouldRenderTheContextBlockSections() {
        engine.apply("t", Deltas.link("Alpha", "Bravo", 7, T0));
        final String context = engine.recall("t", "alpha").context();
        assertEquals("""
            [MEMORY CONTEXT]

            Direct matches:
              - Alpha (concept): Extracted from user

            Related concepts:
              - Bravo (via graph, strength=0.85): Extracted from user

            Key relationships:
              - Alpha ↔ Bravo (co-occurrence)
            [/MEMORY CONTEXT]""", context);
    }

    @Test
    void shouldReturnEmptyContextWhenNothingMatches() {
        engine.apply("t", Deltas.link("Alpha", "Bravo", 7, T0));
        final RecallResult r = engine.recall("t", "zebra crossing");
        assertTrue(r.concepts().isEmpty());
        assertEquals("", r.context());
    }

    @Test
    void shouldNeverSeeAnotherTenantsConcepts() {
        engine.apply("a", Deltas.link("Alpha", "Bravo", 7, T0));
        engine.apply("b", Deltas.concepts(T0, "Other"));
        assertTrue(engine.recall("b", "alpha").concepts().isEmpty());
        assertTrue(engine.recall("nobody", "alpha").concepts().isEmpty());
        assertEquals(2, engine.stats("a").concepts());
        assertEquals(1, engine.stats("b").concepts());
    }

    /**
     * A recall reuses its pooled scratch: the pair arrays of a recall returning many concepts, then few, then many
     * again must answer each as a fresh scratch does, with no pair settled by the recall before.
     */
    @Test
    void shouldFindTheSameRelationshipsWhateverRecallUsedTheScratchBefore() {
        try (MemoryEngine fresh = MemoryEngine.create(EngineConfig.defaults(), () -> T0)) {
            for (final MemoryEngine e : List.of(engine, fresh)) {
                for (int i = 0; i < 30; i++) {
                    e.apply("t", Deltas.link("Alpha", "Node" + i, 1 + i % 7, T0));
                    e.apply("t", Deltas.link("Node" + i, "Node" + (i + 1) % 30, 1 + i % 5, T0));
                }
            }
            // within the kept size (16), beyond it, and back: each answered as by a scratch used for nothing before
            for (final int maxConcepts : new int[] {12, 5, 12, 30, 5, 30}) {
                final List<RecallResult.Relationship> found =
                        engine.recall("t", "alpha", maxConcepts, 0).relationships();
                assertTrue(found.size() >= 4, "links among the returned concepts: " + found);
                assertEquals(fresh.recall("t", "alpha", maxConcepts, 0).relationships(), found);
            }
        }
    }

    /** Returned memories' text is copied through the scratch's buffer: short, long and multi-byte texts come back whole. */
    @Test
    void shouldReturnEachMemorysWholeTextThroughTheReusedBuffer() {
        final String longText = "Alpha " + "x".repeat(40_000);
        final String accented = "Alpha déjà vu, 東京 and Ωmega";
        engine.apply("t", Deltas.memory(1, longText, "noted", T0, "Alpha"));
        engine.apply("t", Deltas.memory(2, "Alpha is short", accented, T0 + 1, "Alpha"));
        engine.apply("t", Deltas.memory(3, "Alpha again", "ok", T0 + 2, "Alpha"));

        for (int round = 0; round < 2; round++) {
            final Map<Long, Memory> byId = engine.recall("t", "alpha", 10, 10).memories().stream()
                    .collect(Collectors.toMap(m -> m.memory().id(), RecallResult.MemoryHit::memory));
            assertEquals(longText, byId.get(1L).userText());
            assertEquals("noted", byId.get(1L).aiText());
            assertEquals(accented, byId.get(2L).aiText());
            assertEquals("Alpha again", byId.get(3L).userText());
        }
    }
}
