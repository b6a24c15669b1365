package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForgetAndPruneTest {
    private static final long T0 = 1_700_000_000_000L;
    private final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void shouldForgetAMemoryAndKeepItForgottenWhenItsDeltaIsReplayed() {
        final Delta memory = Deltas.memory(7, "I adopted a cat named Miso", "Lovely", T0, "Miso");
        engine.apply("t", memory);
        assertTrue(engine.memory("t", 7).isPresent());
        assertTrue(engine.forgetMemory("t", 7));
        assertTrue(engine.memory("t", 7).isEmpty());
        assertTrue(engine.recall("t", "miso").memories().isEmpty());
        engine.apply("t", memory);
        assertTrue(engine.memory("t", 7).isEmpty(), "a tombstone wins over a replayed delta");
        assertEquals(0, engine.stats("t").memories());
        assertFalse(engine.forgetMemory("t", 7));
    }

    @Test
    void shouldScoreTheRestAsIfAForgottenMemoryHadNeverBeenLearned() {
        final List<Turn> turns = List.of(
                Turn.of(1, "The zeppelin flew over the harbour at dawn.", "", T0),
                Turn.of(2, "A zeppelin again, lower over the harbour this time.", "", T0 + 60_000L),
                Turn.of(3, "Tea at noon with the harbour master.", "", T0 + 120_000L));
        turns.forEach(turn -> engine.learn("t", turn));
        assertTrue(engine.forgetMemory("t", 1));
        try (MemoryEngine never = MemoryEngine.create(EngineConfig.defaults(), () -> T0)) {
            turns.subList(1, 3).forEach(turn -> never.learn("t", turn));
            // the forgotten memory is out of every word's list, so each word's document frequency, and with it every
            // score, is what it would be had the memory never been learned
            assertEquals(
                    never.recall("t", "zeppelin over the harbour", 10, 10).memories(),
                    engine.recall("t", "zeppelin over the harbour", 10, 10).memories());
        }
    }

    @Test
    void shouldForgetAConceptWithItsLinksCompoundsAndPostings() {
        engine.apply("t", Deltas.link("Alpha", "Bravo", 3, T0));
        engine.apply("t", Deltas.link("Alpha", "Charlie", 1, T0));
        engine.apply("t", Deltas.memory(1, "alpha and bravo", "", T0, "Alpha", "Bravo"));
        engine.apply(
                "t",
                new Delta(
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of(new Delta.CompoundDelta(java.util.List.of("alpha", "bravo"), 1, T0)),
                        java.util.List.of(),
                        java.util.List.of()));
        assertEquals(1, engine.stats("t").compounds());

        assertTrue(engine.forgetConcept("t", "ALPHA"));
        assertTrue(engine.concept("t", "alpha", 10).isEmpty());
        assertEquals(0, engine.stats("t").links());
        assertEquals(0, engine.stats("t").compounds());
        assertEquals(2, engine.stats("t").concepts());
        assertTrue(engine.concept("t", "bravo", 10).orElseThrow().neighbours().isEmpty());
        assertEquals(
                java.util.List.of("Bravo"), engine.memory("t", 1).orElseThrow().concepts());
        assertTrue(engine.recall("t", "alpha").concepts().isEmpty());
        assertFalse(engine.forgetConcept("t", "alpha"));
    }

    @Test
    void shouldDropATenantWholeAndLeaveOthersUntouched() {
        final Delta turn = Deltas.memory(7, "Miso chased the laser pointer", "Cats love lasers", T0, "Miso", "Laser");
        engine.apply("t", turn);
        engine.apply("t", Deltas.link("Miso", "Laser", 2, T0));
        engine.apply(
                "t",
                new Delta(
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of(new Delta.DecisionDelta(7, 0, "We will buy a laser", T0))));
        engine.forgetMemory("t", 8);
        engine.apply("other", turn);
        final long otherBefore = engine.checksum("other");

        assertTrue(engine.dropTenant("t"));

        assertEquals(new TenantStats(0, 0, 0, 0, 0), engine.stats("t"));
        assertEquals(0, engine.checksum("t"));
        assertFalse(engine.tenants().contains("t"));
        assertTrue(engine.recall("t", "miso laser").concepts().isEmpty());
        assertEquals(otherBefore, engine.checksum("other"));
        assertFalse(engine.recall("other", "miso laser").concepts().isEmpty(), "the other tenant still recalls");
        assertFalse(engine.dropTenant("t"));

        engine.apply("t", turn);
        assertEquals(otherBefore, engine.checksum("t"), "the same delta rebuilds the same state");
        engine.apply("t", Deltas.memory(8, "a memory forgotten before the drop", "", T0, "Miso"));
        assertTrue(engine.memory("t", 8).isPresent(), "tombstones went with the dropped tenant");
    }

    @Test
    void shouldPruneOnlyLinksBelowTheThreshold() {
        engine.apply("t", Deltas.link("Alpha", "Bravo", 1, T0)); // 0.10
        engine.apply("t", Deltas.link("Alpha", "Charlie", 3, T0)); // 0.40
        engine.apply("t", Deltas.link("Bravo", "Charlie", 7, T0)); // 1.00
        final PruneReport report = engine.pruneWeakLinks("t", 0.25, T0, true);
        assertEquals(3, report.linksExamined());
        assertEquals(1, report.linksPruned());
        assertEquals(0.5, report.avgStrengthBefore(), 1e-12);
        assertEquals(0.7, report.avgStrengthAfter(), 1e-12);
        assertEquals(2, engine.stats("t").links());
        assertEquals(
                1, engine.concept("t", "alpha", 10).orElseThrow().neighbours().size());
    }

    @Test
    void shouldPruneNothingAtAThresholdOfZero() {
        engine.apply("t", Deltas.link("Alpha", "Bravo", 1, T0));
        assertEquals(0, engine.pruneWeakLinks("t", 0.0, T0, true).linksPruned());
    }

    @Test
    void shouldPruneByDecayedStrengthWhenTimeDecayIsOn() {
        try (MemoryEngine decaying = MemoryEngine.create(EngineConfig.defaults().withDecayPerDay(0.5), () -> T0)) {
            decaying.apply("t", Deltas.link("Alpha", "Bravo", 7, T0 - 3 * 86_400_000L)); // 1.0 * 0.5^3
            decaying.apply("t", Deltas.link("Alpha", "Charlie", 7, T0));
            final PruneReport report = decaying.pruneWeakLinks("t", 0.2, T0, true);
            assertEquals(1, report.linksPruned());
            assertTrue(report.decayApplied());
        }
    }

    @Test
    void shouldPruneByUndecayedStrengthWhenDecayIsNotApplied() {
        try (MemoryEngine decaying = MemoryEngine.create(EngineConfig.defaults().withDecayPerDay(0.5), () -> T0)) {
            decaying.apply("t", Deltas.link("Alpha", "Bravo", 7, T0 - 3 * 86_400_000L)); // 1.0 undecayed
            decaying.apply("t", Deltas.link("Alpha", "Charlie", 1, T0)); // 0.10
            final PruneReport report = decaying.pruneWeakLinks("t", 0.2, T0, false);
            assertEquals(1, report.linksPruned(), "only the link seen once; the faded one counts at full strength");
            assertFalse(report.decayApplied());
            assertEquals(1.0, report.avgStrengthAfter(), 1e-12);
            final var neighbours =
                    decaying.concept("t", "alpha", 10).orElseThrow().neighbours();
            assertEquals(1, neighbours.size());
            assertTrue(neighbours.getFirst().name().equalsIgnoreCase("bravo"), neighbours.toString());
        }
    }
}
