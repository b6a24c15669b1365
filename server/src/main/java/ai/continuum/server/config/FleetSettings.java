package ai.continuum.server.config;

/**
 * How an instance keeps up with the others on a shared database.
 *
 * @param pollMillis     the catch-up poll of every tenant's chain head: the safety net for announcements lost while
 *                       the listening connection was down (so also the longest a lost announcement delays an op).
 * @param readWaitMillis how long a read given a position waits for this instance to apply it before 503.
 * @param maxLagSeconds  an instance further behind than this reports not ready.
 */
public record FleetSettings(long pollMillis, long readWaitMillis, double maxLagSeconds) {
    public static final FleetSettings DEFAULTS = new FleetSettings(1_000, 2_000, 30);

    public FleetSettings {
        if (pollMillis < 10 || readWaitMillis < 0 || !(maxLagSeconds > 0)) {
            throw new IllegalArgumentException("pollMillis=" + pollMillis + " must be >= 10, readWaitMillis="
                    + readWaitMillis + " >= 0, maxLagSeconds=" + maxLagSeconds + " > 0");
        }
    }
}
