package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeExpressionTest {

    private static long at(final int year, final int month, final int day, final int hour) {
        return LocalDate.of(year, month, day)
                .atTime(hour, 0)
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli();
    }

    @Test
    void shouldMatchTheNamedMonthOnlyWhenAMonthAndYearAreNamed() {
        final TimeExpression t = TimeExpression.parse("Which band did Ann see live in February 2023?");

        assertEquals(TimeExpression.Kind.ABSOLUTE, t.kind());
        assertTrue(t.matches(at(2023, 2, 1, 0)));
        assertTrue(t.matches(at(2023, 2, 28, 23)));
        assertFalse(t.matches(at(2023, 3, 1, 0)));
        assertFalse(t.matches(at(2022, 2, 10, 12)));
    }

    @Test
    void shouldMatchTheDayInAnyYearWhenNoYearIsNamed() {
        final TimeExpression t = TimeExpression.parse("what did we decide on March 14th?");

        assertTrue(t.matches(at(2021, 3, 14, 9)));
        assertFalse(t.matches(at(2021, 3, 15, 9)));
        assertTrue(TimeExpression.parse("what happened on the 2nd of May, 2024").matches(at(2024, 5, 2, 1)));
        assertTrue(TimeExpression.parse("anything in 2022?").matches(at(2022, 12, 31, 23)));
    }

    @Test
    void shouldOpenAWindowAfterTheAnchorWhenTheQueryAsksForTheWeekAfter() {
        final TimeExpression t = TimeExpression.parse("What did Ann do the week after the party?");
        final long party = at(2023, 2, 10, 19);

        assertEquals(TimeExpression.Kind.RELATIVE, t.kind());
        assertFalse(t.windowAfterAnchor(party, at(2023, 2, 10, 22)), "the event's own day is not after it");
        assertTrue(t.windowAfterAnchor(party, at(2023, 2, 11, 8)));
        assertTrue(t.windowAfterAnchor(party, at(2023, 2, 18, 8)));
        assertFalse(t.windowAfterAnchor(party, at(2023, 2, 20, 8)));
        assertFalse(t.matches(party), "a relative time has no absolute window");
        assertTrue(TimeExpression.parse("the day before the launch").windowAfterAnchor(party, at(2023, 2, 9, 8)));
    }

    @Test
    void shouldFindNoTimeWhenTheQueryNamesNone() {
        assertNull(TimeExpression.parse("Which city does Ann live in now?"));
        assertNull(TimeExpression.parse("What did the 14 people march for?"));
    }

    @Test
    void shouldFindATimeWhereverThePatternsDoAndPassOverQueriesThatNameNone() {
        final String[] words = {
            "on", "in", "during", "the", "of", "mid-", "early", "March", "MAY", "may", "june", "14th", "2nd", "2023",
            "day", "week", "weekend", "month", "after", "BEFORE", "party", "\u0130", "\u212a", ",", "what", "Kafka"
        };
        final java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        int named = 0;
        for (int n = 0; n < 20_000; n++) {
            final StringBuilder q = new StringBuilder();
            for (int w = random.nextInt(7); w >= 0; w--) {
                q.append(words[random.nextInt(words.length)]).append(random.nextInt(4) == 0 ? "" : " ");
            }
            final String query = q.toString();
            if (!TimeExpression.mayNameTime(query)) {
                assertNull(TimeExpression.parse(query), query);
            } else if (TimeExpression.parse(query) != null) {
                named++;
            }
        }
        assertTrue(named > 200, "the generator names times often enough to matter: " + named);
        assertFalse(TimeExpression.mayNameTime("What do you know about Apache Kafka and Stream Processing?"));
    }
}
