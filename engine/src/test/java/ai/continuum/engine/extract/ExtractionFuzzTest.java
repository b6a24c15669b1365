package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.Turn;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of everything that reads free text: the concept and decision extractors, query terms, time
 * expressions, a turn's preparation and a recall. Any exception is a finding, and so is a broken invariant of the
 * extractor's contract (the cap, the length bounds, no duplicates, one trimmed line).
 *
 * <p>Without {@code JAZZER_FUZZ} the stored inputs under {@code ExtractionFuzzTestInputs/} are replayed as a
 * regression test in {@code verify} (the target reads a {@link FuzzedDataProvider}, whose decoding is Jazzer's native
 * code, so no plain replay in the inner loop); with it, Jazzer mutates them for the time {@code jazzer.max_duration}
 * allows.
 */
class ExtractionFuzzTest {
    private static final int CAP = 5;
    private static final ConceptExtractor EXTRACTOR = new ConceptExtractor(CAP);
    private static final DecisionExtractor DECISIONS = new DecisionExtractor();
    private static MemoryEngine engine;

    @BeforeAll
    static void seedEngine() {
        engine = MemoryEngine.create(EngineConfig.defaults(), () -> 1_800_000_000_000L);
        engine.learn(
                "fuzz",
                Turn.of(
                        1,
                        "We moved Machine Learning jobs to Kubernetes with \"Helm Charts\" yesterday",
                        "I decided to use PostgreSQL because TensorFlow Serving needs it",
                        1_799_000_000_000L));
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @FuzzTest
    @Tag("jazzer")
    @DictionaryEntries({
        "```",
        "`",
        "\\\"",
        "\\xE2\\x80\\x9C",
        "\\xE2\\x80\\x9D",
        "Machine Learning",
        "TensorFlow",
        "I decided to ",
        "we will use ",
        "because ",
        "yesterday",
        "last week",
        "in March",
        "2026-11-27",
        "\\x0A",
        "  ",
        // U+0301 (a combining mark) and U+1F600 (outside the BMP) in UTF-8, escaped as libFuzzer dictionaries are
        "\\xCC\\x81",
        "\\xF0\\x9F\\x98\\x80"
    })
    void anyText(final FuzzedDataProvider data) {
        final String user = data.consumeString(4_000);
        final String ai = data.consumeRemainingAsString();

        final List<String> concepts = EXTRACTOR.extract(user);
        assertTrue(concepts.size() <= CAP, () -> "more than the cap: " + concepts);
        assertEquals(concepts.size(), new HashSet<>(concepts).size(), () -> "duplicates: " + concepts);
        for (final String c : concepts) {
            final int length = c.codePointCount(0, c.length());
            assertTrue(
                    length >= ConceptExtractor.MIN_LENGTH && length <= ConceptExtractor.MAX_LENGTH,
                    () -> "length out of bounds: '" + c + "'");
            assertTrue(
                    c.equals(c.strip()) && c.indexOf('\n') < 0 && c.indexOf('\r') < 0,
                    () -> "not tidied to one line: '" + c + "'");
        }
        DECISIONS.extract(ai).forEach(d -> assertTrue(!d.isEmpty() && d.equals(d.strip()), () -> "untrimmed: " + d));
        QueryTerms.of(user).concepts();
        final TimeExpression time = TimeExpression.parse(user);
        if (time != null) {
            time.matches(1_799_000_000_000L);
        }

        final Delta delta = engine.prepare(new Turn(2, user, ai, ai, user, "", 1_800_000_000_000L));
        assertTrue(delta.memories().size() == 1, "one turn is one memory");
        final RecallResult recall = engine.recall("fuzz", user, 10, 5);
        assertTrue(recall.concepts().size() <= 10 && recall.memories().size() <= 5, "recall honours its limits");
    }
}
