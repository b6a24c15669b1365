package ai.continuum.server.federation.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.storage.PostgresSchema;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sync lease of the federation state in the main database (migration V10), on both backends: one holder at a
 * time, also under a race; an expired lease (its holder killed mid-sync) is taken over, and the old holder's writes are
 * refused from then on so that it cannot overwrite the new holder's sync.
 */
class FederatedStoreLeaseTest {
    private static final long TTL = 100;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {Storages.SQLITE, Storages.POSTGRESQL})
    void oneHolderAtATimeAndAnExpiredHolderIsTakenOverAndRefused(final String backend) throws Exception {
        try (PostgresSchema schema = backend.equals(Storages.POSTGRESQL) ? PostgresSchema.create() : null;
                Storage storage = Storages.open(
                        backend, dir.resolve("db"), schema == null ? null : schema.url(), StorageSettings.defaults())) {
            final FederatedStore a = new FederatedStore(storage.federationPool());
            final FederatedStore b = new FederatedStore(storage.federationPool());
            final long v0 = a.version().version();

            assertTrue(a.tryLease("a", 1_000, TTL));
            assertFalse(b.tryLease("b", 1_050, TTL), "held by a until 1100");
            assertTrue(a.tryLease("a", 1_080, TTL), "the holder renews: now until 1180");
            assertFalse(b.tryLease("b", 1_150, TTL), "the renewal counts");
            assertEquals(new FederatedStore.Lease("a", 1_180), b.lease());

            final FederatedStore.Contributed pair = new FederatedStore.Contributed("p1", "k1", "x", "y", 2);
            a.acknowledge(List.of(pair), List.of(), 1_100, "a");
            assertThrows(
                    FederatedStore.LeaseLostException.class,
                    () -> b.acknowledge(List.of(pair), List.of("p1"), 1_100, "b"),
                    "only the holder writes");
            assertEquals(1, b.contributedCount());

            // a is killed mid-sync: its lease runs out and b takes over.
            assertTrue(b.tryLease("b", 1_181, TTL));
            final FederatedStore.Federated pulled = new FederatedStore.Federated("p2", "x", "z", "X", "Z", 3, 2, 4.0);
            assertThrows(
                    FederatedStore.LeaseLostException.class,
                    () -> a.replaceFederated(List.of(pulled), 1_182, "a"),
                    "a stalled holder cannot overwrite the new holder's sync");
            assertFalse(a.tryLease("a", 1_182, TTL), "nor take the lease back while b holds it");
            assertEquals(List.of(), a.federated());
            assertEquals(v0, a.version().version(), "nothing changed the pulled set yet");

            b.replaceFederated(List.of(pulled), 1_190, "b");
            assertEquals(List.of(pulled), a.federated(), "every process reads what the holder pulled");
            assertEquals(v0 + 1, a.version().version(), "a completed pull raises the version the others poll");
            b.releaseLease("b");
            assertNull(a.lease().holder());
            assertTrue(a.tryLease("a", 1_200, TTL), "a released lease is free at once");
            a.releaseLease("a");

            // A race for a free lease: exactly one of the takers gets it.
            final int takers = 8;
            final ExecutorService pool = Executors.newFixedThreadPool(takers);
            try {
                final CountDownLatch start = new CountDownLatch(1);
                final List<Future<Boolean>> won = new ArrayList<>();
                for (int i = 0; i < takers; i++) {
                    final String holder = "t" + i;
                    final FederatedStore store = new FederatedStore(storage.federationPool());
                    won.add(pool.submit(() -> {
                        start.await();
                        return store.tryLease(holder, 2_000, TTL);
                    }));
                }
                start.countDown();
                int winners = 0;
                for (final Future<Boolean> f : won) {
                    winners += f.get() ? 1 : 0;
                }
                assertEquals(1, winners, "one holder at a time");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
