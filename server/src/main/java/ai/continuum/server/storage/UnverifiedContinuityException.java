package ai.continuum.server.storage;

/**
 * A merge refused before anything was written: the document claims to be the tenant's own state at a position of its
 * chain (which would make it "already here" and skipped), but its {@link ExportSeal seal} does not vouch for its
 * content. The HTTP answer is 409 {@code continuity_unverified}.
 */
public final class UnverifiedContinuityException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnverifiedContinuityException(final String message) {
        super(message);
    }
}
