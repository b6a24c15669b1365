package ai.continuum.server.storage;

import java.util.concurrent.locks.LockSupport;

/** Stopping the storage's own background threads, which park between rounds of work and check a closed flag. */
final class ParkedThreads {
    private ParkedThreads() {}

    /**
     * Wakes {@code thread} (null: never started) so it sees its closed flag, set by the caller before, and waits up to
     * {@code timeoutMs} for it to finish what it holds and end.
     */
    static void wakeAndJoin(final Thread thread, final long timeoutMs) {
        if (thread == null) {
            return;
        }
        LockSupport.unpark(thread);
        try {
            thread.join(timeoutMs);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
