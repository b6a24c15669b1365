package ai.continuum.server.storage;

/**
 * The write's {@link IdempotencyClaim} found its key already stored (an earlier or concurrent request with the same
 * key, on this instance or another on the same database): nothing was applied; the caller answers with the stored
 * result. Carries no stack trace: it is an outcome, not a fault.
 */
public final class DuplicateRequestException extends RuntimeException {
    public DuplicateRequestException(final String tenant, final String key) {
        super("Idempotency-Key '" + key + "' of tenant '" + tenant + "' is already used", null, false, false);
    }
}
