package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The context block's exact text: sections, caps, truncation, dates, line breaks. */
class ContextBlockTest {
    private static final RecallResult.Why WHY = new RecallResult.Why(1, 0, 0, 0, 0, false, false);

    private static RecallResult.ConceptHit concept(
            final String name, final String description, final double relevance, final RecallResult.Source source) {
        return new RecallResult.ConceptHit(name, "technology", description, relevance, source, 0);
    }

    private static RecallResult.MemoryHit memory(final String user, final String ai, final long millis) {
        return new RecallResult.MemoryHit(new Memory(1, "s", user, ai, "", "{}", millis, List.of()), 1, WHY);
    }

    @Test
    void shouldRenderEverySectionWithItsCapsAndTruncation() {
        final String longDescription = "d".repeat(99) + "\uD83D\uDE00tail";
        final List<RecallResult.ConceptHit> concepts = List.of(
                concept("Kafka", longDescription, 1.0, RecallResult.Source.DIRECT),
                concept("Flink", "", 1.0, RecallResult.Source.DIRECT),
                concept("Zookeeper", "e".repeat(90), 0.456, RecallResult.Source.GRAPH_NEIGHBOR),
                concept("Kafka + Flink", "Components: Kafka, Flink", 0.7, RecallResult.Source.COMPOUND),
                concept("Storm", null, 0.005, RecallResult.Source.GRAPH_NEIGHBOR),
                concept("Spark", "x", 0.3, RecallResult.Source.GRAPH_NEIGHBOR));
        final List<RecallResult.Relationship> relationships = List.of(
                new RecallResult.Relationship("Kafka", "Flink", "co-occurrence", 0.5),
                new RecallResult.Relationship("Kafka", "Storm", "co-occurrence", 0.4),
                new RecallResult.Relationship("Kafka", "Spark", "co-occurrence", 0.3));
        final List<RecallResult.MemoryHit> memories = List.of(
                memory("line one\nline\rtwo", "a".repeat(170), 1_764_201_600_000L),
                memory("", "only the assistant", 0L),
                memory("only the user", "", -86_400_001L),
                memory("far future", "", 253_402_300_800_000L));

        final String context = render(concepts, relationships, memories, 2);

        assertEquals(
                "[MEMORY CONTEXT]\n"
                        + "\nDirect matches:\n"
                        + "  - Kafka (technology): " + "d".repeat(99) + "\n"
                        + "  - Flink (technology)\n"
                        + "\nRelated concepts:\n"
                        + "  - Zookeeper (via graph, strength=0.46): " + "e".repeat(80) + "\n"
                        + "  - Storm (via graph, strength=0.01)\n"
                        + "\nCompound concepts:\n"
                        + "  - Kafka + Flink\n"
                        + "\nKey relationships:\n"
                        + "  - Kafka ↔ Flink (co-occurrence)\n"
                        + "  - Kafka ↔ Storm (co-occurrence)\n"
                        + "\nRelevant memories:\n"
                        + "  - [2025-11-27] user: line one line two | assistant: " + "a".repeat(160) + "\n"
                        + "  - [1970-01-01] assistant: only the assistant\n"
                        + "[/MEMORY CONTEXT]",
                context);
    }

    @Test
    void shouldFormatDatesOutsideFourDigitYearsAsTheFormatterDoes() {
        final String context = render(
                List.of(),
                List.of(),
                List.of(memory("before", "", -86_400_001L), memory("far", "", 253_402_300_800_000L)),
                5);
        assertEquals(
                "[MEMORY CONTEXT]\n\nRelevant memories:\n  - [1969-12-30] user: before\n"
                        + "  - [+10000-01-01] user: far\n[/MEMORY CONTEXT]",
                context);
    }

    @Test
    void shouldBeEmptyWithoutConceptsAndMemories() {
        assertEquals(
                "",
                render(List.of(), List.of(new RecallResult.Relationship("a", "b", "co-occurrence", 1)), List.of(), 5));
    }

    @Test
    void shouldWriteTheSameBlockIntoAReusedBuilder() {
        final List<RecallResult.ConceptHit> concepts =
                List.of(concept("Kafka", "technology", 1.0, RecallResult.Source.DIRECT));
        final List<RecallResult.Relationship> relationships =
                List.of(new RecallResult.Relationship("Kafka", "Flink", "co-occurrence", 0.5));
        final List<RecallResult.MemoryHit> memories = List.of(memory("about Kafka", "noted", 1_764_201_600_000L));
        final StringBuilder reused = new StringBuilder("left over from the recall before ↔");
        final RecallResult result = new RecallResult(concepts, relationships, memories, 5, 0L);

        result.writeContext(reused);

        assertEquals(render(concepts, relationships, memories, 5), reused.toString());
        assertEquals(reused.toString(), result.context());
        new RecallResult(List.of(), List.of(), List.of(), 5, 0L).writeContext(reused);
        assertEquals("", reused.toString());
    }

    /** The block of a result holding these hits, rendered into a new builder. */
    private static String render(
            final List<RecallResult.ConceptHit> concepts,
            final List<RecallResult.Relationship> relationships,
            final List<RecallResult.MemoryHit> memories,
            final int capacity) {
        final StringBuilder out = new StringBuilder();
        ContextBlock.render(new RecallResult(concepts, relationships, memories, capacity, 0L), capacity, out);
        return out.toString();
    }
}
