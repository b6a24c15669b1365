package ai.continuum.server.transfer;

/** An export document that cannot be imported: corrupt, truncated, of another version, or not one at all. */
public final class InvalidDocumentException extends IllegalArgumentException {
    public InvalidDocumentException(final String message) {
        super(message);
    }

    public InvalidDocumentException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
