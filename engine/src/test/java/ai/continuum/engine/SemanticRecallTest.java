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
            Map.entry("music", 3));

    private static final class Meanings implements TextEmbedder {
        @Override
        public int dimensions() {
            return 8;
        }

        @Override
        public float[] embed(final String text) {
            final float[] v = new float[8];
            v[7] = 0.05f; // every text is a little alike, as real sentence vectors are
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
