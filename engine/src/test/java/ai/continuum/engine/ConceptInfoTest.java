package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The info block stores a key only when it is not the normalised display name, and interns type and description. */
class ConceptInfoTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldGiveBackEveryFieldWhetherTheKeyIsDerivedOrStored() {
        final List<Delta.ConceptDelta> concepts = List.of(
                new Delta.ConceptDelta("billing service", "Billing  Service", "concept", "Extracted from user", T0),
                new Delta.ConceptDelta("legacy-key", "Something Else Entirely", "system", "Imported", T0 + 1),
                new Delta.ConceptDelta("straße", "Straße", "concept", "Extracted from user", T0 + 2),
                new Delta.ConceptDelta("zoë ørsted", "Zoë Ørsted", "person", "", T0 + 3));
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0)) {
            engine.apply("t", new Delta(concepts, List.of(), List.of(), List.of(), List.of()));
            final List<Delta.ConceptDelta> back = new ArrayList<>();
            engine.snapshot("t", d -> back.addAll(d.concepts()));
            back.sort((x, y) -> Long.compare(x.firstSeenMillis(), y.firstSeenMillis()));
            assertEquals(concepts, back);
            assertEquals(
                    "Imported",
                    engine.concept("t", "legacy-key", 0).orElseThrow().description());
        }
    }
}
