package ai.continuum.server.federation;

/**
 * A link's co-occurrence count reduced to a coarse bucket, so a pattern tells how established a pair is without its
 * exact count: bucket {@code b} holds counts in {@code [2^b, 2^(b+1))}, capped at {@link #MAX}.
 */
public final class StrengthBucket {
    public static final int MAX = 6;

    private StrengthBucket() {}

    public static int of(final int count) {
        if (count < 1) {
            return 0;
        }
        return Math.min(MAX, 31 - Integer.numberOfLeadingZeros(count));
    }

    /** A word for the bucket, as recall shows it. */
    public static String label(final int bucket) {
        return switch (bucket) {
            case 0 -> "weak";
            case 1 -> "moderate";
            case 2, 3 -> "strong";
            default -> "very strong";
        };
    }
}
