package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LearnTest {
    private static final long T0 = 1_700_000_000_000L;
    private final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void shouldTurnATurnIntoConceptsLinksCompoundMemoryAndDecisions() {
        final LearnOutcome outcome = engine.learn(
                "t",
                new Turn(
                        1,
                        "We are moving the Billing Service to PostgreSQL next quarter.",
                        "Good plan. I will draft the Migration Runbook for the Billing Service today.",
                        "",
                        "s1",
                        "{\"k\":1}",
                        T0));
        final Delta d = outcome.delta();
        final List<String> keys =
                d.concepts().stream().map(Delta.ConceptDelta::key).toList();
        assertTrue(keys.contains("billing service"), keys.toString());
        assertTrue(keys.contains("postgresql"), keys.toString());
        assertTrue(keys.contains("migration runbook"), keys.toString());
        final int n = d.concepts().size();
        assertEquals(n * (n - 1) / 2, d.links().size(), "every unordered pair");
        assertEquals(1, d.compounds().size());
        assertEquals(1, d.memories().size());
        assertFalse(d.decisions().isEmpty(), "the 'I will' sentence");
        assertEquals("Extracted from user", d.concepts().get(0).description());

        assertEquals(n, outcome.applied().conceptsCreated());
        assertEquals(n * (n - 1) / 2, outcome.applied().linksCreated());
        assertEquals(1, outcome.applied().compoundsCreated());
        assertEquals(1, outcome.applied().memoriesCreated());
        assertEquals(new TenantStats(n, n * (n - 1) / 2, 1, 1, d.decisions().size()), engine.stats("t"));
    }

    @Test
    void shouldReinforceLinksOnRepetitionAndCreateNothingNew() {
        final Turn turn =
                new Turn(1, "Kubernetes and Prometheus again", "Prometheus scrapes Kubernetes", "", "", "", T0);
        engine.learn("t", turn);
        final LearnOutcome second = engine.learn("t", new Turn(2, turn.userText(), turn.aiText(), "", "", "", T0 + 1));
        assertEquals(0, second.applied().conceptsCreated());
        assertEquals(0, second.applied().linksCreated());
        assertEquals(0, second.applied().compoundsCreated());
        final ConceptView k8s = engine.concept("t", "kubernetes", 5).orElseThrow();
        assertEquals(0.25, k8s.neighbours().get(0).strength(), 1e-12);
        assertEquals(2, k8s.neighbours().get(0).count());
    }

    @Test
    void shouldRecallTheLearnedMemory() {
        engine.learn(
                "t",
                new Turn(
                        1,
                        "My sister Ingrid Larsen lives in Copenhagen",
                        "Nice, Copenhagen is lovely",
                        "",
                        "s1",
                        "",
                        T0));
        engine.learn("t", new Turn(2, "I started learning the Cello", "The Cello is a great choice", "", "s2", "", T0));
        final RecallResult r = engine.recall("t", "Where does Ingrid Larsen live?");
        assertEquals(1L, r.memories().get(0).memory().id());
        assertTrue(r.context().startsWith("[MEMORY CONTEXT]"));
        assertTrue(r.context().contains("Ingrid Larsen"));
    }

    @Test
    void shouldBePureWhenPreparing() {
        final Turn turn = new Turn(9, "Apache Kafka streams", "Kafka Streams uses RocksDB", "", "", "", T0);
        assertEquals(engine.prepare(turn), engine.prepare(turn));
        assertEquals(0, engine.stats("t").concepts());
    }
}
