package ai.continuum.benchmarks.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SharedWordNamesTest {
    private static final Pattern TWO_OR_THREE_TITLE_WORDS = Pattern.compile("[A-Z][a-z]{6}( [A-Z][a-z]{6}){1,2}");

    @Test
    void shouldGiveDistinctNamesOfTwoOrThreeDistinctTitleCaseWords() {
        final SharedWordNames names = new SharedWordNames(1L, 100_000);
        final Set<String> keys = new HashSet<>();
        int threeWords = 0;
        for (int id = 0; id < names.size(); id++) {
            final String name = names.displayName(id);
            assertTrue(TWO_OR_THREE_TITLE_WORDS.matcher(name).matches(), name);
            final String[] words = name.split(" ");
            assertEquals(words.length, Set.of(words).size(), "a word repeats within " + name);
            threeWords += words.length == 3 ? 1 : 0;
            assertEquals(name.toLowerCase(Locale.ROOT), names.key(id));
            assertTrue(keys.add(names.key(id)), "duplicate key " + names.key(id) + " at id " + id);
        }
        assertTrue(threeWords > 40_000 && threeWords < 55_000, "three-word names: " + threeWords);
    }

    @Test
    void shouldShareWordsAcrossManyNamesWithAHeavyTail() {
        final SharedWordNames names = new SharedWordNames(3L, 100_000);
        final Map<String, Integer> namesPerWord = new HashMap<>();
        for (int id = 0; id < names.size(); id++) {
            for (final String word : names.displayName(id).split(" ", -1)) {
                namesPerWord.merge(word, 1, Integer::sum);
            }
        }
        final int most =
                namesPerWord.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        // 10,000 words for 100,000 names: the commonest word is in thousands of names, the mean one in about 24.
        assertTrue(namesPerWord.size() > 5_000 && namesPerWord.size() <= 10_000, "words: " + namesPerWord.size());
        assertTrue(most > 5_000, "the commonest word is in only " + most + " names");
    }

    @Test
    void shouldBeAPureFunctionOfTheSeed() {
        assertEquals(
                new SharedWordNames(5L, 2_000).displayName(1_234), new SharedWordNames(5L, 2_000).displayName(1_234));
        assertNotEquals(
                new SharedWordNames(5L, 2_000).displayName(1_234), new SharedWordNames(6L, 2_000).displayName(1_234));
    }

    @Test
    void shouldRejectIdsOutsideTheNames() {
        assertThrows(IllegalArgumentException.class, () -> new SharedWordNames(1L, 10).displayName(10));
        assertThrows(IllegalArgumentException.class, () -> new SharedWordNames(1L, 10).displayName(-1));
    }

    @Test
    void shouldGenerateAGraphWithSharedWordNames() {
        final GeneratedGraph graph = new GraphGenerator(new GraphSize(2_000, 9_000), 7L, 500, ConceptNames.Kind.SHARED)
                .generate(delta -> {});
        assertTrue(graph.names() instanceof SharedWordNames);
        assertEquals(ConceptNames.Kind.SHARED, ConceptNames.Kind.parse(" shared "));
    }
}
