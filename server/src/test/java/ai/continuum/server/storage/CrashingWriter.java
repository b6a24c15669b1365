package ai.continuum.server.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * A process that writes turns as fast as it can and prints {@code ACK <memoryId> <seq>} for each one acknowledged,
 * until it is killed (or has written {@link #MAX_OPS}). Run by {@link CrashDurabilityIT} with the backend
 * ({@code SQLITE} or {@code POSTGRESQL}) and its location (data directory or connection string) as arguments.
 */
public final class CrashingWriter {
    static final String TENANT = "crash";
    static final int MAX_OPS = 100_000;

    private CrashingWriter() {}

    public static void main(final String[] args) throws InterruptedException {
        final Storage storage =
                TestDatabase.open(TestDatabase.Backend.valueOf(args[0]), args[1], StorageSettings.defaults());
        // Up to 64 ops in flight so that batches of several ops form, as under concurrent requests.
        final Semaphore inFlight = new Semaphore(64);
        for (int i = 1; i <= MAX_OPS; i++) {
            inFlight.acquire();
            final long id = i;
            // The handler acknowledges on stdout; the parent test reads the acknowledgements, nothing reads these
            // futures.
            final CompletableFuture<?> unused = storage.submit(
                            new StorageOp.Apply(TENANT, Deltas.turn(id, id, "turn " + id, "Alpha", "Beta" + (id % 10))))
                    .whenComplete((head, failure) -> {
                        if (failure == null) {
                            synchronized (System.out) {
                                System.out.println("ACK " + id + " " + head.length());
                                System.out.flush();
                            }
                        }
                        inFlight.release();
                    });
        }
        storage.close();
    }
}
