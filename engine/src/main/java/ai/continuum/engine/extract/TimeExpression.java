package ai.continuum.engine.extract;

import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time a recall query names, if any: an absolute window ("in March 2023", "on 14 March 2023", "on March 14",
 * "in 2022") or a window relative to the event the rest of the query names ("the week after the party", "the day
 * before"). Dates are read in UTC, the zone memories' times are stored in. The first expression found wins. Immutable.
 *
 * <p>A month or day without a year matches that month or day in any year ({@link #matches}); a relative expression
 * has no window of its own until {@link #windowAfterAnchor} is given the time of the event it refers to.
 */
public final class TimeExpression {

    private static final long DAY = 86_400_000L;
    private static final String MONTHS =
            "(january|february|march|april|may|june|july|august|september|october|november|december)";
    private static final Pattern DAY_MONTH =
            Pattern.compile("\\bon (?:the )?(\\d{1,2})(?:st|nd|rd|th)?(?: of)? " + MONTHS + "(?:,? (\\d{4}))?\\b");
    private static final Pattern MONTH_DAY =
            Pattern.compile("\\bon " + MONTHS + " (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?\\b");
    private static final Pattern MONTH =
            Pattern.compile("\\b(?:in|during) (?:early |late |mid-?)?" + MONTHS + "(?:,? (\\d{4}))?\\b");
    private static final Pattern YEAR = Pattern.compile("\\b(?:in|during) (\\d{4})\\b");
    private static final Pattern RELATIVE = Pattern.compile("\\b(day|week|month|weekend) (after|before)\\b");

    /** What kind of window the query names. */
    public enum Kind {
        /** [from, to) in epoch milliseconds, possibly with any year (see {@link #matches}). */
        ABSOLUTE,
        /** {@code spanMillis} after (positive) or before (negative) an event's time. */
        RELATIVE
    }

    private final Kind kind;
    private final int year;
    private final int month;
    private final int day;
    private final long spanMillis;

    private TimeExpression(final Kind kind, final int year, final int month, final int day, final long spanMillis) {
        this.kind = kind;
        this.year = year;
        this.month = month;
        this.day = day;
        this.spanMillis = spanMillis;
    }

    /** The time {@code query} names, or null when it names none. */
    public static TimeExpression parse(final String query) {
        if (!mayNameTime(query)) {
            return null;
        }
        final String q = query.toLowerCase(Locale.ROOT);
        Matcher m = RELATIVE.matcher(q);
        if (m.find()) {
            final long span = switch (m.group(1)) {
                case "day" -> 2 * DAY;
                case "weekend" -> 4 * DAY;
                case "week" -> 8 * DAY;
                default -> 32 * DAY;
            };
            return new TimeExpression(Kind.RELATIVE, 0, 0, 0, "after".equals(m.group(2)) ? span : -span);
        }
        m = DAY_MONTH.matcher(q);
        if (m.find()) {
            return absolute(year(m.group(3)), month(m.group(2)), Integer.parseInt(m.group(1)));
        }
        m = MONTH_DAY.matcher(q);
        if (m.find()) {
            return absolute(year(m.group(3)), month(m.group(1)), Integer.parseInt(m.group(2)));
        }
        m = MONTH.matcher(q);
        if (m.find()) {
            return absolute(year(m.group(2)), month(m.group(1)), 0);
        }
        m = YEAR.matcher(q);
        if (m.find()) {
            return absolute(Integer.parseInt(m.group(1)), 0, 0);
        }
        return null;
    }

    /**
     * False only when no pattern can match: each needs an ASCII digit ({@code \\d}), a month name, "after" or
     * "before". Most queries name no time, and this answers them without lower-casing the query or running five
     * matchers (recall parses every query).
     */
    static boolean mayNameTime(final String query) {
        for (int i = 0; i < query.length(); i++) {
            final char c = query.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
            final char lower = Character.toLowerCase(c);
            for (final String word : TRIGGERS) {
                if (lower == word.charAt(0) && query.regionMatches(true, i, word, 0, word.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A word each pattern needs unless it needs a digit: the month names, "after" and "before". */
    private static final String[] TRIGGERS = {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "after",
        "before"
    };

    private static TimeExpression absolute(final int year, final int month, final int day) {
        if (day > 31 || (month > 0 && day > Month.of(month).maxLength())) {
            return null;
        }
        return new TimeExpression(Kind.ABSOLUTE, year, month, day, 0);
    }

    private static int year(final String text) {
        return text == null ? 0 : Integer.parseInt(text);
    }

    private static int month(final String name) {
        return Month.valueOf(name.toUpperCase(Locale.ROOT)).getValue();
    }

    public Kind kind() {
        return kind;
    }

    /** Whether an absolute expression covers {@code timeMillis}; always false for a relative one. */
    public boolean matches(final long timeMillis) {
        if (kind != Kind.ABSOLUTE) {
            return false;
        }
        final LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(timeMillis, DAY));
        return (year == 0 || date.getYear() == year)
                && (month == 0 || date.getMonthValue() == month)
                && (day == 0 || date.getDayOfMonth() == day);
    }

    /**
     * Whether {@code timeMillis} falls in the window a relative expression opens at {@code anchorMillis}: after the
     * anchor's day and within the span ("the week after": the following 8 days), or the mirror before it.
     */
    public boolean windowAfterAnchor(final long anchorMillis, final long timeMillis) {
        if (kind != Kind.RELATIVE) {
            return false;
        }
        if (spanMillis > 0) {
            final long from = (Math.floorDiv(anchorMillis, DAY) + 1) * DAY;
            return timeMillis >= from && timeMillis < from + spanMillis;
        }
        final long to = Math.floorDiv(anchorMillis, DAY) * DAY;
        return timeMillis < to && timeMillis >= to + spanMillis;
    }

    @Override
    public String toString() {
        return kind == Kind.RELATIVE
                ? "relative " + spanMillis / DAY + " days"
                : "absolute " + (year == 0 ? "any year" : year) + "-" + month + "-" + day + " " + ZoneOffset.UTC;
    }
}
