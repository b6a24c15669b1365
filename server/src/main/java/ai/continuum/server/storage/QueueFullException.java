package ai.continuum.server.storage;

/** The write-behind queue is full; the caller should retry after {@link #retryAfterSeconds()}. */
public final class QueueFullException extends RuntimeException {
    private final int retryAfterSeconds;

    public QueueFullException(final int depth, final int retryAfterSeconds) {
        super("write queue is full (" + depth + " ops waiting); retry after " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
