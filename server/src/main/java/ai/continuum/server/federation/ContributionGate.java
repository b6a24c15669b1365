package ai.continuum.server.federation;

/**
 * Contribution-based access: a node may pull only while it gives back. {@code ratio = contributed / consumed} (0 when
 * nothing was consumed); the first {@link #FREE_PULLS} consumptions are free; after that a ratio below
 * {@link #MINIMUM_RATIO} is denied, short by {@code deficit = 0.1 x consumed - contributed}. Tiers, by ratio:
 * {@code blocked} below 0.1, {@code basic} from 0.1, {@code intermediate} from 0.5, {@code advanced} from 1.0,
 * {@code contributor} from 2.0. Pricing: each pattern an organisation contributes for the first time earns 1.0; each
 * pull request costs 1.0. Stateless.
 */
public final class ContributionGate {
    public static final int FREE_PULLS = 10;
    public static final double MINIMUM_RATIO = 0.1;
    public static final String DENIED_MESSAGE = "Can't use it unless you add to it";

    private ContributionGate() {}

    /** The gate's answer for a node with these totals, before it consumes once more. */
    public record Decision(
            boolean allowed, double ratio, String tier, double deficit, double contributed, double consumed) {}

    public static Decision decide(final double contributed, final double consumed) {
        final double ratio = consumed <= 0 ? 0 : contributed / consumed;
        final boolean allowed = consumed < FREE_PULLS || ratio >= MINIMUM_RATIO;
        final double deficit = allowed ? 0 : round(MINIMUM_RATIO * consumed - contributed);
        return new Decision(allowed, round(ratio), tier(ratio), deficit, contributed, consumed);
    }

    public static String tier(final double ratio) {
        if (ratio >= 2.0) {
            return "contributor";
        }
        if (ratio >= 1.0) {
            return "advanced";
        }
        if (ratio >= 0.5) {
            return "intermediate";
        }
        if (ratio >= MINIMUM_RATIO) {
            return "basic";
        }
        return "blocked";
    }

    private static double round(final double value) {
        return Math.round(value * 10_000.0) / 10_000.0;
    }
}
