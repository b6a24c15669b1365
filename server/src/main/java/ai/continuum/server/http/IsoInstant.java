package ai.continuum.server.http;

import java.time.Instant;

/**
 * A time in milliseconds as {@link Instant#toString()} spells it ({@code 2026-11-27T08:20:00Z}, with {@code .SSS}
 * when the millisecond is not zero), written without a formatter or an intermediate string for the years 0-9999; any
 * other year goes through {@link Instant#toString()}. Stateless.
 */
final class IsoInstant {
    private static final long DAY_MILLIS = 86_400_000L;
    /** 0000-01-01T00:00:00Z and the first millisecond after 9999-12-31T23:59:59.999Z. */
    private static final long FIRST = -62_167_219_200_000L;

    private static final long END = 253_402_300_800_000L;

    private IsoInstant() {}

    static void write(final RecallJson out, final long millis) {
        if (millis < FIRST || millis >= END) {
            for (final char c : Instant.ofEpochMilli(millis).toString().toCharArray()) {
                out.put(c);
            }
            return;
        }
        final long days = Math.floorDiv(millis, DAY_MILLIS);
        final int ofDay = (int) Math.floorMod(millis, DAY_MILLIS);
        // the civil date of a day count (proleptic Gregorian, eras of 400 years starting on March 1st)
        final long z = days + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long doe = z - era * 146_097;
        final long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        final long mp = (5 * doy + 2) / 153;
        final int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        final int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        final int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        out.padded(year, 4);
        out.put('-');
        out.padded(month, 2);
        out.put('-');
        out.padded(day, 2);
        out.put('T');
        out.padded(ofDay / 3_600_000, 2);
        out.put(':');
        out.padded(ofDay / 60_000 % 60, 2);
        out.put(':');
        out.padded(ofDay / 1_000 % 60, 2);
        if (ofDay % 1_000 != 0) {
            out.put('.');
            out.padded(ofDay % 1_000, 3);
        }
        out.put('Z');
    }
}
