package ai.continuum.server.core;

/**
 * A write that would add data was refused, nothing applied, because the process is near its memory limit
 * ({@link MemoryPressure}). The HTTP API answers 503 {@code memory_pressure} with {@code Retry-After}.
 */
public final class MemoryPressureException extends RuntimeException {
    /** What a client waits before retrying: long enough for a collection or a scale-up to show. */
    public static final int RETRY_AFTER_SECONDS = 10;

    MemoryPressureException(final long heldBytes, final long limitBytes, final int percent) {
        super("the service is near its memory limit (" + mib(heldBytes) + " of " + mib(limitBytes)
                + " MiB held; writes that add data are refused from " + percent
                + "%); nothing was applied: retry later, or give the service more memory");
    }

    static long mib(final long bytes) {
        return bytes >> 20;
    }
}
