package ai.continuum.server.core;

/**
 * A write whose outcome the server does not know: its commit did not finish before the request stopped waiting (the
 * database is slow, a commit is in doubt, or the wait was interrupted). It may be applied later or not at all; unlike
 * {@link ai.continuum.server.storage.StorageUnavailableException} ("nothing was applied"), a blind retry may apply it
 * twice. The HTTP API answers 500 {@code outcome_unknown}; a retry carrying the same {@code Idempotency-Key} is safe.
 */
public final class WriteOutcomeUnknownException extends RuntimeException {
    public WriteOutcomeUnknownException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
