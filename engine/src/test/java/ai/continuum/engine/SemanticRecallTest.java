package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.semantic.TextEmbedder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recall with a semantic index: a memory that shares no word with the question is found by its vector, says so in
 * {@code why}, and a forgotten memory's vector is never returned. The embedder is a small bag of meanings (each word
 * counts towards the meaning it belongs to), so nearness is known exactly; the real model is tested in its module.
 */
class SemanticRecallTest {
    /** What a failed wait means: the bound is generous, so a miss is a stuck embedding thread, not a slow machine. */
    private static final String INDEXED =
            "the semantic index did not take in every learned memory within 10 s (the embedding thread is stuck"
                    + " or failed)";

    /** Word -> meaning (dimension). Words of one meaning are synonyms; other words count nowhere. */
    private static final Map<String, Integer> MEANINGS = Map.ofEntries(
            Map.entry("grandmother", 0),
            Map.entry("granny", 0),
            Map.entry("grandma", 0),
            Map.entry("hundred", 1),
            Map.entry("old", 1),
            Map.entry("age", 1),
            Map.entry("flooded", 2),
            Map.entry("water", 2),
            Map.entry("pipe", 2),
            Map.entry("guitar", 3),
            Map.entry("music", 3),
            Map.entry("job", 4),
            Map.entry("works", 4),
            Map.entry("pilot", 4),
            Map.entry("aunt", 5),
            Map.entry("uncle", 5),
            Map.entry("party", 6),
            Map.entry("celebration", 6),
            Map.entry("weather", 7),
            Map.entry("rain", 7));

    /** The direction every text has a little of: small talk ("the weather") lies along it. */
    private static final int EVERYDAY = 7;

    private static final class Meanings implements TextEmbedder {
        @Override
        public int dimensions() {
            return 8;
        }

        @Override
        public float[] embed(final String text) {
            final float[] v = new float[8];
            v[EVERYDAY] = 0.05f; // every text is a little alike, as real sentence vectors are
            for (final String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+", -1)) {
                final Integer meaning = MEANINGS.get(word);
                if (meaning != null) {
                    v[meaning] += 1f;
                }
            }
            return v;
        }

        @Override
        public String name() {
            return "meanings";
        }
    }

    private final Meanings embedder = new Meanings();
    private final MemoryEngine engine = MemoryEngine.create(
            EngineConfig.defaults().withExpectedConcepts(EngineConfig.MIN_EXPECTED_CONCEPTS), () -> 0L, embedder);

    @AfterEach
    void close() {
        engine.close();
    }

    private void say(final long id, final String text) throws InterruptedException {
        engine.learn("t", new Turn(id, text, "", "", "s" + id, "", id * 60_000L));
    }

    @Test
    void aMemorySharingNoWordWithTheQuestionIsFoundByItsVector() throws InterruptedException {
        say(1, "Ben: My grandmother turned one hundred yesterday.");
        say(2, "Ben: Our flat got flooded when the pipe burst.");
        say(3, "Ben: I bought a new guitar for the band.");
        say(4, "Ann: Ben and I went for a walk.");
        assertTrue(engine.awaitSemanticIndex(10_000), INDEXED);
        assertEquals(0, engine.semanticBacklog());

        final RecallResult with = engine.recall("t", "How old is the granny?", 10, 5);
        assertFalse(with.memories().isEmpty());
        final RecallResult.MemoryHit first = with.memories().get(0);
        assertEquals(1, first.memory().id(), "the grandmother's birthday, by meaning");
        assertTrue(first.why().semantic() > 0);
        assertTrue(
                first.why().reasons().contains("semantic"),
                first.why().reasons().toString());

        final RecallResult without = engine.recall("t", "How old is the granny?", 10, 5, false);
        assertTrue(
                without.memories().stream().allMatch(m -> m.why().semantic() == 0),
                "semantic evidence only when asked for");
        assertTrue(without.memories().stream().noneMatch(m -> m.memory().id() == 1), "no shared word: not found");
    }

    @Test
    void aTurnOfAFewWordsNearestTheQuestionDoesNotTakeTheEvidenceFromAFullerOne() throws InterruptedException {
        say(1, "Ann: Grandma, age?");
        say(2, "Ben: My grandmother turned one hundred yesterday, with music and a celebration.");
        say(3, "Ben: Our flat got flooded when the pipe burst.");
        assertTrue(engine.awaitSemanticIndex(10_000), INDEXED);

        final RecallResult r = engine.recall("t", "How old is the granny?", 10, 5);

        // the three-word question lies nearest (its vector is the query's), but says nothing; the answer, a little
        // less near, said what the question asks
        assertEquals(2, r.memories().get(0).memory().id(), r.memories().toString());
        assertTrue(r.memories().get(0).why().semantic() > 0);
    }

    /**
     * "Anselm is Rosa's aunt" answers half of "What job does Rosa's aunt have?"; the other half is in one of Anselm's
     * turns, which shares no word with the question and is not among the query's nearest vectors (other people's
     * uncles who are pilots are nearer). Anselm's turn nearest the question in what the first half does not say is
     * brought into the answer, after the turn that led to it.
     */
    @Test
    void theBestMemoryBridgesOverANameToTheTurnNearestTheQuestionsOtherHalf() throws InterruptedException {
        final String[] names = {
            "Ivan", "Olga", "Pavel", "Dunja", "Marek", "Jana", "Tomas", "Vera", "Lukas", "Petra", "Stefan", "Irena",
            "Boris", "Nina", "Karel", "Lidia", "Milan", "Alena", "Viktor", "Hana", "Radek", "Eva", "Jakub", "Zora",
            "Filip", "Dana", "Oskar", "Ilse", "Emil", "Greta", "Hugo", "Ada", "Bruno", "Cora", "Dario"
        };
        long id = 0;
        say(++id, "Anselm finally works as a pilot now."); // the completing turn, the oldest of Anselm's
        for (final String name : names) { // nearer the question by vector than the completing turn, no word shared
            say(++id, name + "'s uncle is a pilot.");
        }
        say(++id, "Have you heard from Anselm lately?");
        say(++id, "Anselm says hi, by the way.");
        say(++id, "I bumped into Anselm yesterday.");
        say(++id, "Funny thing, Anselm is Rosa's aunt, I had no idea.");
        final long source = id;
        assertTrue(engine.awaitSemanticIndex(10_000), INDEXED);

        final List<RecallResult.MemoryHit> hits =
                engine.recall("t", "What job does Rosa's aunt have?", 10, 10).memories();
        assertEquals(source, hits.get(0).memory().id(), "the first half, by its words");
        final List<Long> ids = hits.stream().map(m -> m.memory().id()).toList();
        final int completing = ids.indexOf(1L);
        assertTrue(completing > 0, "in the answer, after the turn that led to it: " + ids);
        assertTrue(
                hits.get(completing).why().reasons().contains("linked_turn"),
                hits.get(completing).why().toString());
        assertFalse(ids.contains(id - 1), "Anselm's small talk is not near the question: " + ids);
    }

    /**
     * "The week after the housewarming party" names a window anchored on the party's turn. A celebration a month later
     * is nearest the question by meaning (and the nearest gets as much evidence as the best match by words, which
     * took it above both), but it is outside the window: its semantic evidence does not count there, and the answer
     * inside the window ranks above it.
     */
    @Test
    void aRelativeTimeKeepsSemanticEvidenceInsideItsWindow() throws InterruptedException {
        final long day = 86_400_000L;
        engine.learn("t", new Turn(1, "The housewarming at Ann's was lovely.", "", "", "a", "", 0L));
        engine.learn("t", new Turn(2, "This week I went to salsa after work.", "", "", "b", "", 3 * day));
        for (int i = 0; i < 6; i++) { // "week" said often: the answer's one word weighs little
            engine.learn("t", new Turn(3 + i, "Busy week, sorry.", "", "", "c" + i, "", (40 + i) * day));
        }
        engine.learn("t", new Turn(9, "What a celebration that was!", "", "", "d", "", 30 * day));
        assertTrue(engine.awaitSemanticIndex(10_000), INDEXED);

        final List<Long> ids =
                engine.recall("t", "What did Ann do the week after the housewarming party?", 10, 10).memories().stream()
                        .map(m -> m.memory().id())
                        .toList();
        assertTrue(ids.contains(2L), ids.toString());
        assertTrue(
                !ids.contains(9L) || ids.indexOf(2L) < ids.indexOf(9L),
                "the answer in the window ranks above the celebration outside it: " + ids);
        assertEquals(1L, ids.get(0), "the party's turn, by its words: " + ids);
    }

    /**
     * Small talk lies near the direction every text shares, so by plain cosine it is nearer a question that mentions
     * the weather in passing than the turn that answers it (0.82 against 0.60 here), and twenty such turns took the
     * semantic evidence, the answer ranking after all of them. With the tenant's centre taken from both, the answer is
     * nearest and the small talk gets no semantic evidence.
     */
    @Test
    void smallTalkNearEveryQuestionDoesNotTakeTheSemanticEvidence() throws InterruptedException {
        for (int i = 1; i <= 20; i++) {
            say(i, "Ann: The weather was grey again, rain all day.");
        }
        say(21, "Ben: My grandmother turned one hundred yesterday.");
        assertTrue(engine.awaitSemanticIndex(10_000), INDEXED);

        final List<RecallResult.MemoryHit> hits = engine.recall(
                        "t", "With all this grey weather and rain, how old is the granny?", 10, 5)
                .memories();
        assertEquals(21, hits.get(0).memory().id(), "the answer, by meaning: " + hits);
        assertTrue(hits.get(0).why().semantic() > 0, hits.get(0).why().toString());
        for (final RecallResult.MemoryHit small : hits.subList(1, hits.size())) {
            assertEquals(0.0, small.why().semantic(), "small talk: " + small);
        }
    }

    /**
     * Outside a relative time's window, what is near the question by meaning has no semantic evidence; the turns next
     * to it in its session must not get a share of that evidence either. The celebration a month later is nearest the
     * question; the reply after it ("Sure, see you then.") took a neighbour's share of its semantic evidence, which
     * was taken from the celebration only afterwards, and ranked above the answer inside the window.
     */
    @Test
    void aRelativeTimeKeepsTheSharesOfSemanticEvidenceInsideItsWindowToo() throws InterruptedException {
        final long day = 86_400_000L;
        engine.learn("t", new Turn(1, "The housewarming at Ann's was lovely.", "", "", "a", "", 0L));
        engine.learn("t", new Turn(2, "This week I went to salsa after work.", "", "", "b", "", 3 * day));
        for (int i = 0; i < 6; i++) {
            engine.learn("t", new Turn(3 + i, "Busy week, sorry.", "", "", "c" + i, "", (40 + i) * day));
        }
        engine.learn("t", new Turn(9, "What a celebration that was!", "", "", "d", "", 30 * day));
        engine.learn("t", new Turn(10, "Sure, see you then.", "", "", "d", "", 30 * day + 60_000L));
        assertTrue(engine.awaitSemanticIndex(10_000), INDEXED);

        final List<RecallResult.MemoryHit> hits = engine.recall(
                        "t", "What did Ann do the week after the housewarming party?", 10, 10)
                .memories();
        final List<Long> ids = hits.stream().map(m -> m.memory().id()).toList();
        assertTrue(ids.contains(2L), ids.toString());
        assertTrue(
                !ids.contains(10L) || ids.indexOf(2L) < ids.indexOf(10L),
                "the answer in the window ranks above the reply next to the celebration: " + hits);
        for (final RecallResult.MemoryHit hit : hits) {
            if (hit.memory().id() == 10L) {
                assertEquals(0.0, hit.why().sessionNeighbour(), "no share of evidence the window took away: " + hit);
            }
        }
    }

    @Test
    void aForgottenMemoryIsNotFoundByItsVector() throws InterruptedException {
        say(1, "Ben: My grandmother turned one hundred yesterday.");
        say(2, "Ben: I bought a new guitar.");
        assertTrue(engine.awaitSemanticIndex(10_000), INDEXED);
        assertTrue(engine.forgetMemory("t", 1));
        final List<Long> ids = engine.recall("t", "How old is the granny?", 10, 5).memories().stream()
                .map(m -> m.memory().id())
                .toList();
        assertFalse(ids.contains(1L), ids.toString());
    }

    @Test
    void tenantsDoNotSeeEachOthersVectors() throws InterruptedException {
        engine.learn("other", new Turn(1, "My grandmother turned one hundred.", "", "", "s", "", 0L));
        say(2, "Ben: I bought a new guitar.");
        assertTrue(engine.awaitSemanticIndex(10_000), INDEXED);
        assertTrue(engine.recall("t", "How old is the granny?", 10, 5).memories().stream()
                .allMatch(m -> m.memory().id() == 2));
    }

    @Test
    void anEngineWithoutEmbedderHasNoSemanticIndex() throws InterruptedException {
        try (MemoryEngine plain = MemoryEngine.create(EngineConfig.defaults())) {
            assertFalse(plain.semanticEnabled());
            assertTrue(plain.awaitSemanticIndex(0));
            assertEquals(0, plain.semanticBacklog());
        }
        assertTrue(engine.semanticEnabled());
    }
}
