package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A recall written into one reused {@link RecallOutput} answers every query as the recall returning values does,
 * whatever the output held before: larger and smaller answers, non-ASCII texts, compounds, and after a trim.
 */
class RecallOutputTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final String[] NAMES = {
        "Apache Kafka",
        "Apache Flink",
        "Kafka Streams",
        "Billing Service",
        "Audit Log",
        "Redis Cache",
        "Zoë Tanaka",
        "Östra Depot",
        "Lisbon Office",
        "Search Index",
        "Rate Limiter",
        "Mail Relay"
    };

    private final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0);

    @AfterEach
    void close() {
        engine.close();
    }

    private void learnTurns(final int count) {
        final Random random = new Random(7);
        for (int id = 1; id <= count; id++) {
            final String a = NAMES[random.nextInt(NAMES.length)];
            final String b = NAMES[random.nextInt(NAMES.length)];
            final String tail = id % 5 == 0 ? " — déjà vu, 東京 🚀 \"quoted\"\nsecond line" : "";
            engine.learn(
                    "t",
                    new Turn(
                            id,
                            "Should " + a + " talk to " + b + "?" + tail,
                            "I will connect " + a + " with " + b + " in step " + id + ".",
                            id % 3 == 0 ? "thinking about " + a : "",
                            "session-" + id % 7,
                            id % 4 == 0 ? "{\"turn\":" + id + "}" : "{}",
                            T0 + id * 60_000L));
        }
    }

    @Test
    void shouldAnswerEveryQueryIntoOneReusedOutputAsTheReturnedValues() {
        learnTurns(300);
        final List<String> queries = new ArrayList<>();
        for (final String name : NAMES) {
            queries.add("What about " + name + "?");
        }
        queries.add("How does Apache Kafka relate to the Billing Service and the Audit Log?");
        queries.add("Zoë Tanaka at the Östra Depot");
        queries.add("connect step 42");
        queries.add("nothing we ever learned");
        final int[][] limits = {{10, 5}, {100, 100}, {1, 0}, {30, 20}, {5, 1}, {100, 0}, {10, 5}};
        final RecallOutput out = new RecallOutput();
        final StringBuilder context = new StringBuilder();
        final Random random = new Random(11);
        int compounds = 0;
        int memories = 0;
        for (int round = 0; round < 300; round++) {
            final String query = queries.get(random.nextInt(queries.size()));
            final int[] limit = limits[random.nextInt(limits.length)];
            final RecallResult expected = engine.recall("t", query, limit[0], limit[1]);
            engine.recall("t", query, limit[0], limit[1], true, out);
            final RecallResult actual = out.toResult();
            assertEquals(expected.concepts(), actual.concepts(), query);
            assertEquals(expected.relationships(), actual.relationships(), query);
            assertEquals(expected.memories(), actual.memories(), query);
            out.writeContext(context);
            assertEquals(expected.context(), context.toString(), query);
            assertEquals(expected.conceptCount(), out.conceptCount());
            compounds += (int) expected.concepts().stream()
                    .filter(c -> c.source() == RecallResult.Source.COMPOUND)
                    .count();
            memories += expected.memories().size();
            if (round % 50 == 49) {
                out.trim();
            }
        }
        assertTrue(compounds > 0, "compounds were returned");
        assertTrue(memories > 1_000, "memories were returned: " + memories);
    }

    @Test
    void shouldReturnEachMemorysTextsThinkingAndMetadata() {
        engine.learn("t", new Turn(1, "Apache Kafka — 東京 🚀", "noted\nfor later", "a thought", "s-1", "{\"k\":1}", T0));
        final RecallOutput out = new RecallOutput();
        engine.recall("t", "apache kafka", 10, 5, true, out);

        assertEquals(1, out.memoryCount());
        assertEquals("Apache Kafka — 東京 🚀", out.memoryUserText(0).toString());
        assertEquals("noted\nfor later", out.memoryAiText(0).toString());
        assertEquals("s-1", out.memorySessionId(0).toString());
        assertEquals(T0, out.memoryTimeMillis(0));
        final Memory m = out.toResult().memories().getFirst().memory();
        assertEquals(
                new Memory(
                        1, "s-1", "Apache Kafka — 東京 🚀", "noted\nfor later", "a thought", "{\"k\":1}", T0, List.of()),
                m);
        assertThrows(IndexOutOfBoundsException.class, () -> out.memoryUserText(1));
        assertThrows(IndexOutOfBoundsException.class, () -> out.conceptName(out.conceptCount()));
    }

    @Test
    void shouldBeEmptyForAnUnknownTenantOrABlankQueryWhateverItHeldBefore() {
        learnTurns(20);
        final RecallOutput out = new RecallOutput();
        engine.recall("t", "Apache Kafka", 10, 5, true, out);
        assertTrue(out.conceptCount() > 0 && out.memoryCount() > 0);

        engine.recall("nobody", "Apache Kafka", 10, 5, true, out);
        assertEquals(0, out.conceptCount());
        assertEquals(0, out.relationshipCount());
        assertEquals(0, out.memoryCount());
        final StringBuilder context = new StringBuilder("left over");
        out.writeContext(context);
        assertEquals("", context.toString());

        engine.recall("t", "Apache Kafka", 10, 5, true, out);
        engine.recall("t", "   ", 10, 5, true, out);
        assertEquals(0, out.conceptCount() + out.memoryCount());
    }

    /** An answer of shown texts decodes each memory's session, user and assistant texts as a whole one does. */
    @Test
    void shouldDecodeTheShownTextsAsAWholeOutputDoes() {
        learnTurns(120);
        final RecallOutput whole = new RecallOutput();
        final RecallOutput shown = RecallOutput.shownTextsOnly();
        for (final String name : NAMES) {
            engine.recall("t", "What about " + name + "?", 10, 20, true, whole);
            engine.recall("t", "What about " + name + "?", 10, 20, true, shown);
            assertEquals(whole.memoryCount(), shown.memoryCount());
            for (int i = 0; i < whole.memoryCount(); i++) {
                assertEquals(whole.memoryId(i), shown.memoryId(i));
                assertEquals(
                        whole.memorySessionId(i).toString(),
                        shown.memorySessionId(i).toString());
                assertEquals(
                        whole.memoryUserText(i).toString(),
                        shown.memoryUserText(i).toString());
                assertEquals(
                        whole.memoryAiText(i).toString(), shown.memoryAiText(i).toString());
            }
            shown.trim();
        }
        assertThrows(IllegalStateException.class, shown::toResult);
    }
}
