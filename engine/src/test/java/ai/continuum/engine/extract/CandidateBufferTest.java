package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CandidateBufferTest {
    /** Letters of both cases, Latin-1 letters, and the characters whose lower case is special or two chars long. */
    private static final String ALPHABET =
            "aAbBkKzZ \u00e9\u00c9\u00df\u00b5\u00ff\u0130i\u0307\u03a3\u03c3\u03c2\u212a";

    @Test
    void shouldCompareAsToLowerCaseDoesForEveryPairOfRandomStrings() {
        final SplittableRandom random = new SplittableRandom(7);
        for (int n = 0; n < 50_000; n++) {
            final String a = randomString(random);
            final String b = random.nextInt(3) == 0 ? flipCase(a, random) : randomString(random);
            final boolean expected = a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
            assertEquals(expected, CandidateBuffer.sameLowerCase(a, b), () -> "'" + a + "' against '" + b + "'");
        }
    }

    @Test
    void shouldKeepTheFirstSpellingOfNamesEqualIgnoringCaseBelowAndAboveTheLinearLimit() {
        final CandidateBuffer few = new CandidateBuffer();
        few.add(0, CandidateBuffer.PHRASE, "Apache Kafka");
        few.add(5, CandidateBuffer.PHRASE, "apache kafka");
        few.add(9, CandidateBuffer.PHRASE, "Stra\u00dfe");
        few.add(12, CandidateBuffer.PHRASE, "STRA\u00dfE");
        assertEquals(List.of("Apache Kafka", "Stra\u00dfe"), few.select(10, true));

        final CandidateBuffer many = new CandidateBuffer();
        for (int i = 0; i < 40; i++) {
            many.add(2 * i, CandidateBuffer.SINGLE, "Name" + (i % 20));
            many.add(2 * i + 1, CandidateBuffer.SINGLE, "NAME" + (i % 20));
        }
        final List<String> selected = many.select(100, true);
        assertEquals(20, selected.size(), selected::toString);
        assertTrue(selected.stream().allMatch(s -> s.startsWith("Name")), selected::toString);
        assertFalse(new CandidateBuffer().select(3, true).iterator().hasNext());
    }

    private static String randomString(final SplittableRandom random) {
        final StringBuilder s = new StringBuilder();
        final int length = random.nextInt(5);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    private static String flipCase(final String s, final SplittableRandom random) {
        final StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }
}
