package ai.continuum.engine;

/**
 * Content over one of the {@link SizeLimits}: names the limit (e.g. {@code memory_bytes}), its value and the size
 * found. Thrown before anything is written; the HTTP API answers it with 413 {@code size_limit_exceeded}.
 */
public final class SizeLimitExceededException extends IllegalArgumentException {
    private final String limit;
    private final long maxBytes;
    private final long actualBytes;

    public SizeLimitExceededException(
            final String limit, final long maxBytes, final long actualBytes, final String what) {
        this(limit, maxBytes, actualBytes, SizeLimits.message(limit, maxBytes, actualBytes, what), true);
    }

    private SizeLimitExceededException(
            final String limit,
            final long maxBytes,
            final long actualBytes,
            final String message,
            final boolean ignored) {
        super(message);
        this.limit = limit;
        this.maxBytes = maxBytes;
        this.actualBytes = actualBytes;
    }

    /** The same limit breach, its message prefixed with where it was found (e.g. a position in a document). */
    public SizeLimitExceededException at(final String where) {
        return new SizeLimitExceededException(limit, maxBytes, actualBytes, where + ": " + getMessage(), true);
    }

    /** The limit's name, as documented: memory_bytes, metadata_bytes, concept_name_bytes, concept_description_bytes. */
    public String limit() {
        return limit;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public long actualBytes() {
        return actualBytes;
    }
}
