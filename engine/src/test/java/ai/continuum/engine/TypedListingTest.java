package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listing by type {@code compound_concept} and {@code decision} shows the items the tenant's stats count. */
class TypedListingTest {
    private static final long T0 = 1_700_000_000_000L;
    private final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void compoundsAndDecisionsAreListedAndCountedAsTheStatsCountThem() {
        engine.learn(
                "t",
                new Turn(
                        1,
                        "We are moving the Billing Service to PostgreSQL next quarter.",
                        "Good plan. I will draft the Migration Runbook for the Billing Service today.",
                        "",
                        "s1",
                        "{}",
                        T0));
        engine.learn(
                "t",
                new Turn(
                        2,
                        "Should the Audit Log use Kafka Streams?",
                        "I will set up Kafka Streams for the Audit Log tomorrow.",
                        "",
                        "s1",
                        "{}",
                        T0 + 1));
        final TenantStats stats = engine.stats("t");
        assertEquals(2, stats.compounds());
        assertTrue(stats.decisions() >= 2, stats.toString());

        final List<ConceptView> compounds = engine.concepts("t", MemoryEngine.COMPOUND_TYPE, 0, 100);
        assertEquals(stats.compounds(), compounds.size());
        assertEquals(stats.compounds(), engine.conceptCount("t", MemoryEngine.COMPOUND_TYPE));
        assertTrue(compounds.getFirst().name().contains("Audit Log"), "newest first: " + compounds);
        assertTrue(compounds.getFirst().name().contains(" + "), compounds.toString());
        assertEquals(MemoryEngine.COMPOUND_TYPE, compounds.getFirst().type());

        final List<ConceptView> decisions = engine.concepts("t", MemoryEngine.DECISION_TYPE, 0, 100);
        assertEquals(stats.decisions(), decisions.size());
        assertEquals(stats.decisions(), engine.conceptCount("t", MemoryEngine.DECISION_TYPE));
        assertTrue(decisions.getFirst().name().contains("Kafka Streams"), "newest first: " + decisions);
        assertEquals(1, engine.concepts("t", MemoryEngine.DECISION_TYPE, 1, 1).size(), "offset and limit apply");

        engine.forgetMemory("t", 2);
        assertEquals(
                engine.stats("t").decisions(),
                engine.concepts("t", MemoryEngine.DECISION_TYPE, 0, 100).size(),
                "a forgotten memory's decisions leave the list with it");
    }
}
