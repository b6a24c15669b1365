package ai.continuum.server.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Seeds a store with synchronous learns made at once, as concurrent clients make them: the storage writer commits
 * them in a few group commits instead of one commit (and one fsync) each, and each learn still returns only once
 * committed and applied. For the snapshot tests, whose cases are about what a start does with the stored state, not
 * about how it was written.
 */
final class Seeding {
    private Seeding() {}

    /** Runs {@code learn} for 0 to {@code n - 1}, each on a thread of its own, and returns once all have returned. */
    static void concurrently(final int n, final IntConsumer learn) {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            final List<Future<?>> learning = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final int index = i;
                learning.add(clients.submit(() -> learn.accept(index)));
            }
            for (final Future<?> f : learning) {
                f.get();
            }
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
