package ai.continuum.server.auth;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Bounds the PBKDF2 verifications of keys still stored in the slow form: at most {@code permits} run at once, at most
 * {@code maxWaiting} more wait (each for at most {@code maxWait}), and any further request is refused at once with
 * {@link KeyCheckBusyException} (answered 503 with {@code Retry-After}) instead of queueing on a request thread. So a
 * flood of wrong secrets for known key ids costs at most {@code permits} cores, and health checks, fast-form keys and
 * cached keys, which never come here, are not slowed. Thread-safe.
 */
public final class SlowHashGate {
    private final Semaphore running;
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxWaiting;
    private final long maxWaitNanos;

    public SlowHashGate(final int permits, final int maxWaiting, final java.time.Duration maxWait) {
        this.running = new Semaphore(permits, true);
        this.maxWaiting = maxWaiting;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** The default for a server: one PBKDF2 at a time, eight waiting for at most a second. */
    public static SlowHashGate forServer() {
        return new SlowHashGate(1, 8, java.time.Duration.ofSeconds(1));
    }

    /** Runs {@code check} within the bound, or throws {@link KeyCheckBusyException} when the bound is reached. */
    public boolean run(final BooleanSupplier check) {
        if (!running.tryAcquire()) {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                throw new KeyCheckBusyException();
            }
            try {
                if (!running.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
                    throw new KeyCheckBusyException();
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeyCheckBusyException();
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            return check.getAsBoolean();
        } finally {
            running.release();
        }
    }

    /** Too many slow key checks are running or waiting; the caller should retry shortly. */
    public static final class KeyCheckBusyException extends RuntimeException {
        public KeyCheckBusyException() {
            super(
                    "too many API keys in the legacy PBKDF2 form are being checked at once; retry shortly",
                    null,
                    false,
                    false);
        }
    }
}
