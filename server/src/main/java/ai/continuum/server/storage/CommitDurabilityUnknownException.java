package ai.continuum.server.storage;

/**
 * An op was committed but syncing the commit to disk failed ({@link LogSyncer}): it may or may not survive a crash of
 * the machine, so it is neither acknowledged nor reported as not applied. The service answers 500
 * {@code outcome_unknown}; a retry with the same {@code Idempotency-Key} is safe.
 */
public final class CommitDurabilityUnknownException extends RuntimeException {
    public CommitDurabilityUnknownException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
