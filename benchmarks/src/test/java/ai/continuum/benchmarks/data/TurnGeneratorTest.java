package ai.continuum.benchmarks.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Turn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TurnGeneratorTest {
    /** Title-Case phrases as the concept extractor sees them: runs of capitalised words. */
    private static final Pattern PHRASE = Pattern.compile("[A-Z][a-z]+(?:\\s+[A-Z][a-z]+)+");

    @Test
    void shouldMentionFiveToEightDistinctTwoWordConceptsPerTurn() {
        final TurnGenerator generator = new TurnGenerator(1L, 5_000, 1.0);
        final Set<Integer> sizes = new HashSet<>();
        for (int i = 1; i <= 2_000; i++) {
            final Turn turn = generator.next(i, 1000L * i);
            final List<String> phrases = phrases(turn.userText() + " " + turn.aiText());
            assertEquals(new HashSet<>(phrases).size(), phrases.size(), "repeated concept in " + turn);
            phrases.forEach(p -> assertEquals(2, p.split(" ").length, "phrase '" + p + "' in " + turn));
            assertTrue(
                    phrases.size() >= TurnGenerator.MIN_CONCEPTS && phrases.size() <= TurnGenerator.MAX_CONCEPTS,
                    turn.toString());
            assertTrue(!phrases(turn.userText()).isEmpty()
                    && !phrases(turn.aiText()).isEmpty());
            sizes.add(phrases.size());
        }
        assertEquals(Set.of(5, 6, 7, 8), sizes);
    }

    @Test
    void shouldRepeatPopularConceptsFarMoreOftenThanRareOnes() {
        final TurnGenerator generator = new TurnGenerator(2L, 5_000, 1.0);
        final Map<String, Integer> counts = new HashMap<>();
        for (int i = 1; i <= 5_000; i++) {
            final Turn turn = generator.next(i, i);
            phrases(turn.userText() + " " + turn.aiText()).forEach(p -> counts.merge(p, 1, Integer::sum));
        }
        final List<Integer> sorted = new ArrayList<>(counts.values());
        sorted.sort(null);
        assertTrue(sorted.get(sorted.size() - 1) > 50 * sorted.get(sorted.size() / 2), sorted.toString());
    }

    @Test
    void shouldGenerateTheSameTurnsWhenSeedIsTheSame() {
        final TurnGenerator a = new TurnGenerator(3L, 1_000, 1.0);
        final TurnGenerator b = new TurnGenerator(3L, 1_000, 1.0);
        for (int i = 1; i <= 100; i++) {
            assertEquals(a.next(i, i), b.next(i, i));
        }
    }

    private static List<String> phrases(final String text) {
        final List<String> out = new ArrayList<>();
        final Matcher m = PHRASE.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
