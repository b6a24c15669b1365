package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.Memory;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.RecallOutput;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.Turn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streamed recall answer ({@link RecallJson}) is byte for byte what Jackson writes for {@link RecallResource#view}. */
class RecallJsonTest {
    private static final String TRICKY =
            "quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f nul \u0000 us \u001f"
                    + " del \u007f é ß ↔ 中文 emoji \uD83D\uDE00 lone high \uD800 lone low \uDC00 bom \uFEFF end";

    @Test
    void shouldWriteTheBytesJacksonWritesForARepresentativeRecall() throws Exception {
        final RecallResult r = new RecallResult(
                List.of(
                        new RecallResult.ConceptHit(
                                "Kafka ↔ Zoë", "technology", TRICKY, 1.0, RecallResult.Source.DIRECT, 0),
                        new RecallResult.ConceptHit(
                                "Flink", null, null, 0.123456789, RecallResult.Source.GRAPH_NEIGHBOR, 2),
                        new RecallResult.ConceptHit(
                                "Kafka + Flink",
                                "compound_concept",
                                "Components: [\"Kafka\",\"Flink\"]",
                                0.7000000000000001,
                                RecallResult.Source.COMPOUND,
                                0)),
                List.of(new RecallResult.Relationship("Kafka ↔ Zoë", "Flink", "co-occurrence", 1.0E-5)),
                List.of(
                        hit(
                                12_345_678_901L,
                                "session \"1\"",
                                TRICKY,
                                "",
                                1_764_201_600_123L,
                                3.25,
                                new RecallResult.Why(1.23456, 0, 0.4, 0.0001, 0, true, false)),
                        hit(
                                0,
                                "",
                                "",
                                "only the assistant ✓",
                                -86_400_001L,
                                0.0,
                                new RecallResult.Why(0, 2.5, 0, 0, 0.9999, false, true)),
                        hit(
                                7,
                                "s",
                                "far",
                                "future",
                                253_402_300_800_000L,
                                1e21,
                                new RecallResult.Why(1, 1, 1, 1, 1, true, true))),
                "",
                1_234_567L);
        assertSame("tenant \"é\"", r);
    }

    @Test
    void shouldWriteTheBytesJacksonWritesForAnEmptyRecall() throws Exception {
        assertSame("t", new RecallResult(List.of(), List.of(), List.of(), "", 0L));
    }

    @Test
    void shouldEscapeEveryCharAsJacksonDoes() throws Exception {
        final Random random = new Random(20261203L);
        for (int round = 0; round < 2_000; round++) {
            final char[] chars = new char[random.nextInt(40)];
            for (int i = 0; i < chars.length; i++) {
                // mostly the interesting ranges: control chars, ASCII, Latin-1, BMP, surrogates
                chars[i] = switch (random.nextInt(5)) {
                    case 0 -> (char) random.nextInt(0x20);
                    case 1 -> (char) random.nextInt(0x80);
                    case 2 -> (char) (0x80 + random.nextInt(0x780));
                    case 3 -> (char) (0xD800 + random.nextInt(0x800));
                    default -> (char) random.nextInt(0x10000);
                };
            }
            final String text = new String(chars);
            assertSame(
                    text,
                    new RecallResult(
                            List.of(new RecallResult.ConceptHit(
                                    text, text, text, random.nextDouble(), RecallResult.Source.DIRECT, 1)),
                            List.of(),
                            List.of(hit(
                                    round,
                                    text,
                                    text,
                                    text,
                                    random.nextLong() >> 20,
                                    random.nextDouble() * 100,
                                    new RecallResult.Why(random.nextDouble(), 0, 0, 0, 0, false, false))),
                            text,
                            random.nextLong() & 0xFFFFFFFFFFL));
        }
    }

    @Test
    void shouldWriteEveryNumberAsJacksonDoes() throws Exception {
        final Random random = new Random(20261205L);
        final double[] edges = {
            0.0,
            -0.0,
            Double.MIN_VALUE,
            Double.MIN_NORMAL,
            Double.MAX_VALUE,
            1e-7,
            1e7,
            1e21,
            0.1 + 0.2,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY
        };
        final List<RecallResult.ConceptHit> concepts = new java.util.ArrayList<>();
        for (final double value : edges) {
            concepts.add(new RecallResult.ConceptHit("c", null, null, value, RecallResult.Source.DIRECT, 0));
        }
        for (int i = 0; i < 2_000; i++) {
            // every exponent, and the short decimals scores usually are
            final double value = i % 2 == 0
                    ? Double.longBitsToDouble(random.nextLong())
                    : Math.round(random.nextDouble() * 1e6) / 1e6;
            concepts.add(new RecallResult.ConceptHit("c", null, null, value, RecallResult.Source.DIRECT, 0));
        }
        assertSame("t", new RecallResult(concepts, List.of(), List.of(), "", random.nextLong() & 0xFFFFFFFFFFL));
    }

    @Test
    void shouldSpellTimesAsInstantDoes() {
        final Random random = new Random(7L);
        final long[] edges = {
            0L,
            -1L,
            1L,
            999L,
            -86_400_001L,
            951_782_400_000L,
            4_107_542_400_000L,
            -62_167_219_200_000L,
            -62_167_219_200_001L,
            253_402_300_799_999L,
            253_402_300_800_000L,
            Long.MIN_VALUE / 2,
            Long.MAX_VALUE / 2
        };
        for (final long millis : edges) {
            assertEquals(Instant.ofEpochMilli(millis).toString(), iso(millis), () -> "millis " + millis);
        }
        for (int i = 0; i < 100_000; i++) {
            final long millis = (random.nextLong() % 253_402_300_800_000L) - (i % 2 == 0 ? 0 : 62_167_219_200_000L);
            assertEquals(Instant.ofEpochMilli(millis).toString(), iso(millis), () -> "millis " + millis);
        }
    }

    private static String iso(final long millis) {
        final RecallJson out = new RecallJson();
        IsoInstant.write(out, millis);
        return new String(out.bytes(), 0, out.length(), StandardCharsets.UTF_8);
    }

    /**
     * The service writes the answer from the output the engine decoded it into ({@link RecallJson#answer()}): the
     * same bytes as from the values a caller keeps, and as Jackson's, for recalls of every size over tricky texts,
     * with one writer reused throughout.
     */
    @Test
    void shouldWriteTheSameBytesFromTheEnginesReusedOutputAsFromItsValues() throws Exception {
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> 1_764_201_600_000L)) {
            final String[] names = {"Apache Kafka", "Zoë Tanaka", "Billing Service", "Östra Depot", "Audit Log"};
            for (int id = 1; id <= 60; id++) {
                final String a = names[id % names.length];
                final String b = names[(id * 7 + 2) % names.length];
                engine.learn(
                        "t",
                        new Turn(
                                id,
                                "Should " + a + " use " + b + "? " + (id % 3 == 0 ? TRICKY : "plain"),
                                "Yes: " + a + " with " + b + (id % 4 == 0 ? " \"quoted\"\n" + TRICKY : "."),
                                "a long thought, never shown: " + "x".repeat(id * 100),
                                "session \"" + id % 5 + "\"",
                                "{\"turn\":" + id + "}",
                                1_764_201_600_000L + id * 3_600_000L));
            }
            final RecallJson json = new RecallJson();
            final RecallOutput whole = new RecallOutput();
            final int[][] limits = {{10, 5}, {100, 100}, {1, 0}, {3, 20}};
            int round = 0;
            for (final String name : names) {
                for (final int[] limit : limits) {
                    final String query = "What about " + name + "?";
                    engine.recall("t", query, limit[0], limit[1], true, whole);
                    final RecallResult values = whole.toResult();
                    assertSame("t", values);
                    final RecallJson fromValues = new RecallJson().write("t", values);
                    engine.recall("t", query, limit[0], limit[1], true, json.answer());
                    json.write("t", json.answer());
                    // two recalls: the same answer, each with its own time
                    assertEquals(
                            withoutTime(new String(fromValues.bytes(), 0, fromValues.length(), StandardCharsets.UTF_8)),
                            withoutTime(new String(json.bytes(), 0, json.length(), StandardCharsets.UTF_8)));
                    if (++round % 3 == 0) {
                        json.trim(); // as the pool does after each request
                    }
                }
            }
        }
    }

    private static String withoutTime(final String answer) {
        return answer.replaceFirst("\"query_time_ms\":[0-9.E-]+", "\"query_time_ms\":0");
    }

    /** An answer that shows texts only refuses to become values, which would lack each memory's thinking. */
    @Test
    void shouldNotTurnAnAnswerOfShownTextsIntoValues() {
        assertThrows(
                IllegalStateException.class, () -> new RecallJson().answer().toResult());
    }

    private static RecallResult.MemoryHit hit(
            final long id,
            final String session,
            final String user,
            final String ai,
            final long millis,
            final double score,
            final RecallResult.Why why) {
        return new RecallResult.MemoryHit(new Memory(id, session, user, ai, "", "{}", millis, List.of()), score, why);
    }

    private static void assertSame(final String tenant, final RecallResult r) throws Exception {
        final byte[] expected = Json.MAPPER.writeValueAsBytes(RecallResource.view(tenant, r));
        final RecallJson json = new RecallJson().write(tenant, r);
        final byte[] actual = Arrays.copyOf(json.bytes(), json.length());
        assertEquals(
                new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8), "as text");
        assertEquals(Arrays.toString(expected), Arrays.toString(actual), "as bytes");
    }
}
