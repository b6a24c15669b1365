package ai.continuum.server.storage;

/**
 * Whether the database accepts writes, as the storage writer last found it. The writer turns it unavailable when a
 * batch fails for good or a commit is held in doubt, and available again when a write commits; submitters read it to
 * fail at once instead of queueing, readiness to report refused writes.
 *
 * <p>Thread model: written by the writer thread only; read from any thread.
 */
final class WriteAvailability {
    private static final System.Logger LOG = System.getLogger(WriteAvailability.class.getName());

    private volatile boolean unavailable;
    /** The failure that made writes unavailable; published before {@link #unavailable} is set. */
    private volatile Throwable lastFailure;

    boolean unavailable() {
        return unavailable;
    }

    /** The failure that last made writes unavailable (null if none has). */
    Throwable lastFailure() {
        return lastFailure;
    }

    /** What a write refused while the database is unavailable fails with. */
    StorageUnavailableException refusal() {
        final Throwable cause = lastFailure;
        return new StorageUnavailableException("the database refuses writes: " + Failures.describe(cause), cause);
    }

    void refuse(final Throwable cause) {
        lastFailure = cause;
        unavailable = true;
    }

    /** Writes are accepted again; {@code how} says what proved it (logged). */
    void recovered(final String how) {
        unavailable = false;
        LOG.log(System.Logger.Level.INFO, "storage writer: database accepts writes again (" + how + ")");
    }
}
