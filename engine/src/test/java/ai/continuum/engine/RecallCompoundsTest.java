package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recall's compounds (step 4): those holding an exact query concept, the most counted first, at most five per exact
 * concept, each once, and never one whose components are no longer known.
 */
class RecallCompoundsTest {
    private static final long T0 = 1_700_000_000_000L;
    private final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0);
    private long id;

    @AfterEach
    void close() {
        engine.close();
    }

    /** Learns {@code times} turns naming the Billing Service with {@code partner}: a compound counted that often. */
    private void pair(final String partner, final int times) {
        for (int i = 0; i < times; i++) {
            id++;
            engine.learn(
                    "t",
                    new Turn(
                            id,
                            "Should the Billing Service use " + partner + "?",
                            "I will connect the Billing Service to " + partner + ".",
                            "",
                            "s1",
                            "{}",
                            T0 + id));
        }
    }

    private List<RecallResult.ConceptHit> compounds(final String query) {
        return engine.recall("t", query, 100, 0).concepts().stream()
                .filter(c -> c.source() == RecallResult.Source.COMPOUND)
                .toList();
    }

    @Test
    void shouldReturnTheMostCountedCompoundsOfAnExactConceptOnceEach() {
        pair("Kafka Streams", 6);
        pair("Audit Log", 4);
        pair("Redis Cache", 3);
        pair("Ledger Store", 2);
        pair("Rate Limiter", 2);
        pair("Search Index", 1);
        pair("Mail Relay", 1);

        final List<RecallResult.ConceptHit> hits = compounds("Billing Service");
        assertEquals(5, hits.size(), "five per exact concept: " + hits);
        assertTrue(hits.getFirst().name().contains("Kafka Streams"), "the most counted first: " + hits);
        assertTrue(hits.get(1).name().contains("Audit Log"), hits.toString());
        for (int i = 1; i < hits.size(); i++) {
            assertTrue(hits.get(i - 1).relevance() >= hits.get(i).relevance(), "by relevance: " + hits);
        }
        final Set<String> names = new HashSet<>();
        for (final RecallResult.ConceptHit hit : hits) {
            assertTrue(names.add(hit.name()), "each compound once: " + hits);
            assertTrue(hit.description().startsWith("Components: "), hit.description());
        }
        assertFalse(
                hits.stream().anyMatch(h -> h.name().contains("Mail Relay")),
                "a compound counted once, after four counted more and one counted once earlier, is left out: " + hits);

        // Both exact concepts hold the Kafka Streams compound: it is still returned once.
        final List<RecallResult.ConceptHit> both = compounds("Billing Service and Kafka Streams");
        assertEquals(
                1,
                both.stream().filter(h -> h.name().contains("Kafka Streams")).count(),
                "a compound of two exact concepts once: " + both);
    }

    @Test
    void shouldLeaveOutACompoundWhoseOtherComponentWasForgotten() {
        pair("Kafka Streams", 3);
        pair("Audit Log", 2);
        assertTrue(engine.forgetConcept("t", "Kafka Streams"));

        final List<RecallResult.ConceptHit> hits = compounds("Billing Service");
        assertTrue(hits.stream().noneMatch(h -> h.name().contains("Kafka Streams")), hits.toString());
        assertTrue(hits.stream().anyMatch(h -> h.name().contains("Audit Log")), hits.toString());
    }
}
