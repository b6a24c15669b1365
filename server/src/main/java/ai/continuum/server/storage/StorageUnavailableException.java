package ai.continuum.server.storage;

/** The database could not be reached or refused a write; nothing of the failed op is acknowledged. */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
