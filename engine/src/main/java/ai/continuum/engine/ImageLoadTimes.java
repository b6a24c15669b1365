package ai.continuum.engine;

import java.util.Locale;

/**
 * Where the time of one {@link MemoryEngine#readImage} went, by part of the image, in nanoseconds: the tenants'
 * headers, the off-heap regions read straight into their buffers (arena and graph), the concept dictionary (its Chronicle
 * Map file copied out of the image and mapped), and the word, memory and compound indexes.
 *
 * @param dictionaryEntries the dictionary's entries.
 */
public record ImageLoadTimes(
        long tenantsNanos, long regionsNanos, long dictionaryNanos, long indexesNanos, long dictionaryEntries) {

    public long totalNanos() {
        return tenantsNanos + regionsNanos + dictionaryNanos + indexesNanos;
    }

    /** For a start-up log line: {@code tenants 1 ms, regions 40 ms, dictionary 30 ms (100000 entries), ...}. */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "tenants %d ms, regions %d ms, dictionary %d ms (%d entries), indexes %d ms",
                tenantsNanos / 1_000_000,
                regionsNanos / 1_000_000,
                dictionaryNanos / 1_000_000,
                dictionaryEntries,
                indexesNanos / 1_000_000);
    }
}
