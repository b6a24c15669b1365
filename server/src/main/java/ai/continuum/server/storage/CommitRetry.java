package ai.continuum.server.storage;

/**
 * When the storage writer tries a failed batch again: exponential backoff ({@value #INITIAL_BACKOFF_MS} ms doubling
 * to {@value #MAX_BACKOFF_MS} ms) for {@link StorageSettings#commitRetryMs} from the batch's first attempt, after
 * which the batch fails (or, in doubt, is held and asked about every {@link StorageSettings#probeIntervalMs}); and,
 * while the database refuses writes, when the next probe write is due.
 *
 * <p>Thread model: the writer thread only. Times are the writer clock's milliseconds.
 */
final class CommitRetry {
    static final long INITIAL_BACKOFF_MS = 25;
    static final long MAX_BACKOFF_MS = 1_000;

    private final long retryForMs;
    private final long probeIntervalMs;
    private long firstAttemptMs;
    private long retryAtMs;
    private long backoffMs = INITIAL_BACKOFF_MS;
    private long nextProbeMs;

    CommitRetry(final StorageSettings settings) {
        this.retryForMs = settings.commitRetryMs();
        this.probeIntervalMs = settings.probeIntervalMs();
    }

    /** A new batch's first attempt is now. */
    void begin(final long nowMs) {
        firstAttemptMs = nowMs;
        backoffMs = INITIAL_BACKOFF_MS;
    }

    /** Whether the batch must still wait before its next attempt. */
    boolean waiting(final long nowMs) {
        return nowMs - retryAtMs < 0;
    }

    boolean isFirstAttempt(final long nowMs) {
        return nowMs == firstAttemptMs;
    }

    /** Whether the batch has been retried for the whole retry period. */
    boolean expired(final long nowMs) {
        return nowMs - firstAttemptMs >= retryForMs;
    }

    long sinceFirstAttempt(final long nowMs) {
        return nowMs - firstAttemptMs;
    }

    long retryForMs() {
        return retryForMs;
    }

    /** The next attempt after the current backoff, which then doubles. */
    void backOff(final long nowMs) {
        retryAtMs = nowMs + backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }

    /** The next attempt one probe interval from now (a batch held in doubt asks the database at that pace). */
    void holdForProbe(final long nowMs) {
        retryAtMs = nowMs + probeIntervalMs;
    }

    boolean probeDue(final long nowMs) {
        return nowMs - nextProbeMs >= 0;
    }

    void scheduleProbe(final long nowMs) {
        nextProbeMs = nowMs + probeIntervalMs;
    }
}
