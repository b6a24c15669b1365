package ai.continuum.benchmarks.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Zipf-distributed ranks 0..n-1: rank {@code r} is drawn with probability proportional to {@code 1 / (r + 1)^s}.
 * Sampling is a binary search over the precomputed cumulative distribution. Immutable; the caller owns the random.
 */
public final class Zipf {
    private final double[] cumulative;

    public Zipf(final int n, final double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("n=" + n + " must be >= 1");
        }
        if (!(exponent > 0.0)) {
            throw new IllegalArgumentException("exponent=" + exponent + " must be > 0");
        }
        cumulative = new double[n];
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            total += 1.0 / Math.pow(r + 1, exponent);
            cumulative[r] = total;
        }
        for (int r = 0; r < n; r++) {
            cumulative[r] /= total;
        }
        cumulative[n - 1] = 1.0;
    }

    public int size() {
        return cumulative.length;
    }

    public int sample(final SplittableRandom random) {
        final int found = Arrays.binarySearch(cumulative, random.nextDouble());
        return found >= 0 ? found : -found - 1;
    }
}
