package ai.continuum.benchmarks.data;

import java.util.Locale;

/**
 * A reference graph size: concepts and links, written as in docs/DESIGN.md section 8 ("100k/500k", "1M/5M").
 *
 * @param concepts number of concepts, 10..{@link NameTable#WORDS}.
 * @param links    number of distinct links, at least concepts - 1 and at most what the concepts allow.
 */
public record GraphSize(int concepts, int links) {
    public static final GraphSize SMALL = new GraphSize(100_000, 500_000);
    public static final GraphSize REFERENCE = new GraphSize(1_000_000, 5_000_000);

    public GraphSize {
        if (concepts < 10 || concepts > NameTable.WORDS) {
            throw new IllegalArgumentException("concepts=" + concepts + " must be in [10, " + NameTable.WORDS + "]");
        }
        final long maxLinks = (long) concepts * (concepts - 1) / 2;
        if (links < concepts - 1 || links > maxLinks || links > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("links=" + links + " must be in [" + (concepts - 1) + ", "
                    + Math.min(maxLinks, Integer.MAX_VALUE / 2) + "] for " + concepts + " concepts");
        }
    }

    /** Parses "100k/500k", "1M/5M" or plain numbers "2000/9000". */
    public static GraphSize parse(final String text) {
        final String[] parts = text.strip().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("graph size '" + text + "' must look like 100k/500k");
        }
        return new GraphSize(Math.toIntExact(count(parts[0], text)), Math.toIntExact(count(parts[1], text)));
    }

    public String label() {
        return format(concepts) + "/" + format(links);
    }

    private static long count(final String part, final String whole) {
        final String p = part.strip().toLowerCase(Locale.ROOT);
        try {
            if (p.endsWith("m")) {
                return Long.parseLong(p.substring(0, p.length() - 1)) * 1_000_000L;
            }
            if (p.endsWith("k")) {
                return Long.parseLong(p.substring(0, p.length() - 1)) * 1_000L;
            }
            return Long.parseLong(p);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("graph size '" + whole + "' must look like 100k/500k", e);
        }
    }

    private static String format(final int n) {
        if (n % 1_000_000 == 0) {
            return n / 1_000_000 + "M";
        }
        return n % 1_000 == 0 ? n / 1_000 + "k" : Integer.toString(n);
    }
}
