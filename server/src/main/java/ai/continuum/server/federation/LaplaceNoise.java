package ai.continuum.server.federation;

import java.security.SecureRandom;
import java.util.function.DoubleSupplier;

/**
 * The Laplace mechanism: a contributing node adds {@code Laplace(0, 1/epsilon)} noise to each count it reports (a
 * pattern's contribution weight has sensitivity 1: one more or one fewer sighting), so the coordinator's sums are
 * epsilon-differentially private per contribution. Epsilon 0 turns the noise off. Thread-safe.
 */
public final class LaplaceNoise {
    private final double epsilon;
    private final DoubleSupplier uniform;

    public LaplaceNoise(final double epsilon) {
        this(epsilon, new SecureRandom()::nextDouble);
    }

    LaplaceNoise(final double epsilon, final DoubleSupplier uniform) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number >= 0, not " + epsilon);
        }
        this.epsilon = epsilon;
        this.uniform = uniform;
    }

    public double epsilon() {
        return epsilon;
    }

    /** {@code value} plus noise (inverse-CDF sampling), or {@code value} itself when epsilon is 0. */
    public double noisy(final double value) {
        if (epsilon == 0) {
            return value;
        }
        final double u = uniform.getAsDouble() - 0.5;
        final double scale = 1.0 / epsilon;
        return value - scale * Math.signum(u) * Math.log(Math.max(Double.MIN_NORMAL, 1 - 2 * Math.abs(u)));
    }
}
