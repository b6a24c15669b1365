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

    /**
     * A buffer keeping spans selects what a buffer of strings selects, into its sink as into strings: both cases, few
     * candidates and many (the hash set of a long selection), spans and whole strings mixed, text of special cases.
     */
    @Test
    void shouldSelectFromSpansWhatItSelectsFromStrings() {
        final SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 2_000; round++) {
            final StringBuilder text = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                text.append(randomString(random)).append(' ');
            }
            final String source = text.toString();
            final CandidateBuffer strings = new CandidateBuffer();
            final CandidateBuffer spans = new CandidateBuffer(true);
            final int candidates = 1 + random.nextInt(round % 2 == 0 ? 12 : 60);
            for (int i = 0; i < candidates; i++) {
                final int start = random.nextInt(source.length());
                final int end = start + random.nextInt(Math.min(6, source.length() - start) + 1);
                final int offset = random.nextInt(100);
                final int kind = random.nextInt(10);
                if (random.nextInt(4) == 0) {
                    final String own = source.substring(start, end) + "x";
                    strings.add(offset, kind, own);
                    spans.add(offset, kind, own);
                } else {
                    strings.add(offset, kind, source, start, end);
                    spans.add(offset, kind, source, start, end);
                }
            }
            final boolean ignoreCase = random.nextBoolean();
            final int cap = 1 + random.nextInt(40);
            final List<String> expected = strings.select(cap, ignoreCase);
            final List<String> sunk = new java.util.ArrayList<>();
            spans.selectInto(cap, ignoreCase, (from, start, end) -> sunk.add(from.substring(start, end)));
            assertEquals(expected, sunk, source);
            spans.clear();
        }
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
