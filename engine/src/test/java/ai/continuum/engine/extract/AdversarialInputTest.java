package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hang guards: 200 KB of hostile text must be processed in linear time. The bound is generous (a linear scan takes
 * milliseconds); a quadratic or backtracking scan would take minutes.
 */
class AdversarialInputTest {
    private static final int SIZE = 200 * 1024;
    private static final Duration BOUND = Duration.ofSeconds(2);

    private static String repeat(final String unit) {
        return unit.repeat(SIZE / unit.length() + 1).substring(0, SIZE);
    }

    static Stream<Arguments> hostileTexts() {
        final Random random = new Random(42);
        final String alphabet = "Aa Zz\"`\u201C\u201D._\n()=*Iiwm ";
        final StringBuilder mixed = new StringBuilder(SIZE);
        for (int i = 0; i < SIZE; i++) {
            mixed.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return Stream.of(
                Arguments.of("capitals", repeat("A")),
                Arguments.of("camel without spaces", repeat("AbCd")),
                Arguments.of("title words", repeat("Ab ")),
                Arguments.of("long title words", repeat("Abcdefgh ")),
                Arguments.of("leading stop words", repeat("The ") + " Machine Learning"),
                Arguments.of("straight quotes", repeat("\"")),
                Arguments.of("quoted letters", repeat("\"a")),
                Arguments.of("typographic closers", "\u201C" + repeat("\u201D")),
                Arguments.of("typographic openers", repeat("\u201C") + "\u201D"),
                Arguments.of("backticks", repeat("`")),
                Arguments.of("inline spans", repeat("`a")),
                Arguments.of("unclosed fences", repeat("```\n")),
                Arguments.of("fence openings", repeat("```python\nAb ")),
                Arguments.of("decisions without end", repeat("I will ")),
                Arguments.of("gerunds without end", repeat("Creating ")),
                Arguments.of("plans without end", repeat("My plan is ")),
                Arguments.of("snake without end", repeat("a_")),
                Arguments.of("random hostile alphabet", mixed.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTexts")
    void shouldFinishInLinearTimeWhenInputIsHostile(final String name, final String text) {
        final ConceptExtractor concepts = new ConceptExtractor(ConceptExtractor.DEFAULT_MAX_CONCEPTS_PER_MESSAGE);
        final DecisionExtractor decisions = new DecisionExtractor();
        assertTimeoutPreemptively(
                BOUND,
                () -> {
                    final List<String> found = concepts.extract(text);
                    assertTrue(found.size() <= ConceptExtractor.DEFAULT_MAX_CONCEPTS_PER_MESSAGE, name);
                    decisions.extract(text);
                    final QueryTerms terms = QueryTerms.of(text);
                    assertTrue(terms.concepts().size() <= QueryTerms.MAX_TERMS, name);
                    assertTrue(terms.keywords().size() <= QueryTerms.MAX_TERMS, name);
                },
                name);
    }
}
