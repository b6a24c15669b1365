package ai.continuum.benchmarks.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NameTableTest {
    private static final Pattern TWO_TITLE_WORDS = Pattern.compile("[A-Z][a-z]{6} [A-Z][a-z]{6}");

    @Test
    void shouldGiveDistinctTwoWordTitleCaseNamesWhenIdsDiffer() {
        final NameTable names = new NameTable(1L);
        final Set<String> keys = new HashSet<>();
        for (int id = 0; id < 300_000; id++) {
            final String name = names.displayName(id);
            assertTrue(TWO_TITLE_WORDS.matcher(name).matches(), name);
            assertEquals(name.toLowerCase(Locale.ROOT), names.key(id));
            assertTrue(keys.add(names.key(id)), "duplicate key " + names.key(id) + " at id " + id);
        }
    }

    @Test
    void shouldKeepFirstWordsDistinctWhenIdsDiffer() {
        final NameTable names = new NameTable(9L);
        final Set<String> firstWords = new HashSet<>();
        for (int id = 0; id < 100_000; id++) {
            assertTrue(firstWords.add(names.displayName(id).substring(0, 7)));
        }
    }

    @Test
    void shouldDependOnSeedWhenSeedsDiffer() {
        assertEquals(new NameTable(5L).displayName(123), new NameTable(5L).displayName(123));
        assertNotEquals(new NameTable(5L).displayName(123), new NameTable(6L).displayName(123));
    }

    @Test
    void shouldRejectIdsOutsideTheWordSpace() {
        assertThrows(IllegalArgumentException.class, () -> new NameTable(1L).displayName(NameTable.WORDS));
        assertThrows(IllegalArgumentException.class, () -> new NameTable(1L).displayName(-1));
    }
}
