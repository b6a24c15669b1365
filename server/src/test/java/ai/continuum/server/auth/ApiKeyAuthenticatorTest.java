package ai.continuum.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.storage.ApiKeys;
import ai.continuum.server.storage.StorageUnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiKeyAuthenticatorTest {
    private static final long SECOND_NS = 1_000_000_000L;

    /** Keys in a map, counting lookups, so the tests see when the cache is used. */
    private static final class MapKeys implements ApiKeys {
        final Map<String, StoredKey> keys = new ConcurrentHashMap<>();
        final AtomicInteger finds = new AtomicInteger();
        /** Whether reads fail as they do while the database is down. */
        volatile boolean down;

        @Override
        public void insert(final StoredKey key) {
            keys.put(key.keyId(), key);
        }

        @Override
        public Optional<StoredKey> find(final String keyId) {
            finds.incrementAndGet();
            if (down) {
                throw new StorageUnavailableException("cannot read API key '" + keyId + "': connection refused", null);
            }
            return Optional.ofNullable(keys.get(keyId));
        }

        @Override
        public List<StoredKey> list() {
            return List.copyOf(keys.values());
        }

        @Override
        public boolean revoke(final String keyId, final Instant at) {
            final StoredKey k = keys.get(keyId);
            if (k == null) {
                return false;
            }
            keys.put(
                    keyId,
                    new StoredKey(
                            k.keyId(), k.tenant(), k.name(), k.hash(), k.admin(), k.createdAt(), at, k.lastUsedAt()));
            return true;
        }

        @Override
        public void touch(final String keyId, final Instant at) {}

        @Override
        public boolean rehash(final String keyId, final String oldHash, final String newHash) {
            final StoredKey k = keys.get(keyId);
            if (k == null || k.revoked() || !k.hash().equals(oldHash)) {
                return false;
            }
            keys.put(
                    keyId,
                    new StoredKey(
                            k.keyId(), k.tenant(), k.name(), newHash, k.admin(), k.createdAt(), null, k.lastUsedAt()));
            return true;
        }
    }

    private final MapKeys store = new MapKeys();
    private final long[] now = {0};
    private final ApiKeyAuthenticator auth = new ApiKeyAuthenticator(
            store, new KeyHasher(1000), "admin-key-for-tests-0123456789", "default", 30 * SECOND_NS, () -> now[0]);

    @Test
    void shouldStoreOnlyHashAndResolveTenantFromKey() {
        final ApiKeyAuthenticator.CreatedKey key = auth.create("acme", "ci", "test");
        final ApiKeys.StoredKey stored = store.keys.get(key.keyId());
        assertFalse(stored.hash().contains(key.apiKey().substring(20)), "secret must not be stored");
        assertEquals("acme", auth.authenticate(key.apiKey()).orElseThrow().tenant());
        assertTrue(auth.authenticate(key.apiKey().substring(0, 62) + "x").isEmpty());
    }

    @Test
    void shouldSkipLookupWhileCachedAndLookUpAgainAfterTtl() {
        final String key = auth.create("acme", "", "test").apiKey();
        auth.authenticate(key);
        final int lookups = store.finds.get();
        auth.authenticate(key);
        assertEquals(lookups, store.finds.get(), "cache hit");
        now[0] += 31 * SECOND_NS;
        auth.authenticate(key);
        assertEquals(lookups + 1, store.finds.get(), "expired entry is verified again");
    }

    @Test
    void shouldKeepAVerifiedKeyWorkingPastItsCachePeriodWhileTheDatabaseIsDown() {
        final ApiKeyAuthenticator.CreatedKey verified = auth.create("acme", "", "test");
        final ApiKeyAuthenticator.CreatedKey unverified = auth.create("acme", "", "test");
        final ApiKeyAuthenticator.CreatedKey revoked = auth.create("acme", "", "test");
        assertTrue(auth.authenticate(verified.apiKey()).isPresent());
        assertTrue(auth.authenticate(revoked.apiKey()).isPresent());
        assertTrue(auth.revoke(revoked.keyId(), "test"));
        store.down = true;
        now[0] += 31 * SECOND_NS;
        final int lookups = store.finds.get();
        assertEquals("acme", auth.authenticate(verified.apiKey()).orElseThrow().tenant(), "expired, database down");
        assertTrue(store.finds.get() > lookups, "the record was tried first");
        assertThrows(
                StorageUnavailableException.class,
                () -> auth.authenticate(unverified.apiKey()),
                "a key never verified here cannot be checked");
        assertTrue(auth.authenticate(revoked.apiKey()).isEmpty(), "a revocation seen here holds");
        now[0] += ApiKeyAuthenticator.STALE_WHILE_UNAVAILABLE_NS;
        assertThrows(
                StorageUnavailableException.class, () -> auth.authenticate(verified.apiKey()), "the grace is bounded");
        store.down = false;
        assertTrue(auth.authenticate(verified.apiKey()).isPresent(), "checked again once the database answers");
    }

    @Test
    void shouldNotWaitForTheDatabaseOnEveryRequestWhileItIsDown() {
        final ApiKeyAuthenticator.CreatedKey verified = auth.create("acme", "", "test");
        assertTrue(auth.authenticate(verified.apiKey()).isPresent());
        store.down = true;
        now[0] += 31 * SECOND_NS;
        assertTrue(auth.authenticate(verified.apiKey()).isPresent(), "served from the cache once the lookup failed");
        final int lookups = store.finds.get();
        for (int i = 0; i < 10; i++) {
            now[0] += ApiKeyAuthenticator.LOOKUP_BACKOFF_NS / 20;
            assertTrue(auth.authenticate(verified.apiKey()).isPresent());
        }
        assertEquals(lookups, store.finds.get(), "no lookup (each waits for a connect timeout) within the back-off");
        now[0] += ApiKeyAuthenticator.LOOKUP_BACKOFF_NS;
        assertTrue(auth.authenticate(verified.apiKey()).isPresent());
        assertEquals(lookups + 1, store.finds.get(), "the record is tried again after the back-off");
        store.down = false;
        now[0] += ApiKeyAuthenticator.LOOKUP_BACKOFF_NS;
        assertTrue(auth.authenticate(verified.apiKey()).isPresent());
        assertEquals(lookups + 2, store.finds.get(), "looked up again once the back-off has passed");
    }

    @Test
    void shouldReadTheRecordAgainAfterForgettingButKeepTheKeyWorkingWhileTheDatabaseIsDown() {
        final ApiKeyAuthenticator.CreatedKey verified = auth.create("acme", "", "test");
        assertTrue(auth.authenticate(verified.apiKey()).isPresent());
        auth.forgetCached();
        final int lookups = store.finds.get();
        assertTrue(auth.authenticate(verified.apiKey()).isPresent());
        assertTrue(store.finds.get() > lookups, "a forgotten verification reads the record again");
        auth.forgetCached();
        store.down = true;
        assertEquals(
                "acme",
                auth.authenticate(verified.apiKey()).orElseThrow().tenant(),
                "forgetting (the announcements reconnected) must not refuse a verified key while the database is down");
        store.down = false;
        store.revoke(verified.keyId(), Instant.now());
        auth.forgetCached();
        assertTrue(auth.authenticate(verified.apiKey()).isEmpty(), "a revocation made elsewhere is seen");
    }

    @Test
    void shouldRejectRevokedKeyImmediatelyEvenWhenCached() {
        final ApiKeyAuthenticator.CreatedKey key = auth.create("acme", "", "test");
        assertTrue(auth.authenticate(key.apiKey()).isPresent());
        assertTrue(auth.revoke(key.keyId(), "test"));
        assertTrue(auth.authenticate(key.apiKey()).isEmpty());
        assertFalse(auth.revoke("0123456789abcdef", "test"));
    }

    /** Wrong guesses for a key id must never refuse its holder, even one this process has not verified yet. */
    @Test
    void shouldAcceptTheRightKeyAfterManyWrongSecretsForItsId() {
        final ApiKeyAuthenticator.CreatedKey key = auth.create("acme", "", "test");
        final String wrong = "cm_" + key.keyId() + "_" + "A".repeat(43);
        for (int i = 0; i < 100; i++) {
            assertTrue(auth.authenticate(wrong).isEmpty());
        }
        assertTrue(auth.authenticate(key.apiKey()).isPresent(), "the holder is not locked out by someone's guesses");
    }

    @Test
    void shouldStoreNewKeysInTheFastFormAndMigrateSlowOnesOnFirstUse() {
        final ApiKeyAuthenticator.CreatedKey key = auth.create("acme", "", "test");
        assertFalse(KeyHasher.isSlow(store.keys.get(key.keyId()).hash()), "new keys are stored as SHA-256");
        final ApiKeys.StoredKey stored = store.keys.get(key.keyId());
        final String legacy = new KeyHasher(1000).hashPbkdf2(key.apiKey());
        store.keys.put(
                key.keyId(),
                new ApiKeys.StoredKey(
                        stored.keyId(), stored.tenant(), stored.name(), legacy, false, stored.createdAt(), null, null));
        final String wrong = "cm_" + key.keyId() + "_" + "B".repeat(43);
        assertTrue(auth.authenticate(wrong).isEmpty(), "a wrong secret fails against the PBKDF2 form");
        assertEquals(legacy, store.keys.get(key.keyId()).hash(), "a failed check rewrites nothing");
        assertTrue(auth.authenticate(key.apiKey()).isPresent(), "the PBKDF2 form still verifies");
        assertFalse(KeyHasher.isSlow(store.keys.get(key.keyId()).hash()), "and is rewritten in the fast form");
        now[0] += 31 * SECOND_NS;
        assertTrue(auth.authenticate(key.apiKey()).isPresent(), "the rewritten form verifies");
    }

    @Test
    void shouldRefuseSlowChecksPastTheGateInsteadOfQueueing() throws Exception {
        final SlowHashGate gate = new SlowHashGate(1, 1, java.time.Duration.ofMillis(50));
        final java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final Thread holder = Thread.ofVirtual()
                .start(() -> gate.run(() -> {
                    inside.countDown();
                    try {
                        release.await();
                    } catch (final InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return true;
                }));
        inside.await();
        org.junit.jupiter.api.Assertions.assertThrows(
                SlowHashGate.KeyCheckBusyException.class,
                () -> gate.run(() -> true),
                "waited its 50 ms and was refused");
        release.countDown();
        holder.join();
        assertTrue(gate.run(() -> true), "free again");
    }

    @Test
    void shouldRenewAnExpiredVerificationFromTheRecordWithoutTheSlowHash() {
        final ApiKeyAuthenticator.CreatedKey key = auth.create("acme", "", "test");
        assertTrue(auth.authenticate(key.apiKey()).isPresent());
        final String wrong = "cm_" + key.keyId() + "_" + "A".repeat(43);
        for (int i = 0; i < 10; i++) {
            assertTrue(auth.authenticate(wrong).isEmpty());
        }
        now[0] += 31 * SECOND_NS;
        final int lookups = store.finds.get();
        assertTrue(
                auth.authenticate(key.apiKey()).isPresent(),
                "renewed from the unchanged record: no verification, so guesses cannot lock out the holder");
        assertEquals(lookups + 1, store.finds.get(), "the record was read again");

        final ApiKeys.StoredKey stored = store.keys.get(key.keyId());
        store.keys.put(
                key.keyId(),
                new ApiKeys.StoredKey(
                        stored.keyId(),
                        stored.tenant(),
                        stored.name(),
                        new KeyHasher(1000).hashPbkdf2("some other secret"),
                        false,
                        stored.createdAt(),
                        null,
                        null));
        now[0] += 31 * SECOND_NS;
        assertTrue(auth.authenticate(key.apiKey()).isEmpty(), "a changed hash means a full verification again");
    }

    @Test
    void shouldRecogniseAdminKeyWithoutStorage() {
        final Principal admin =
                auth.authenticate("admin-key-for-tests-0123456789").orElseThrow();
        assertTrue(admin.admin());
        assertEquals("default", admin.tenant());
        assertEquals(0, store.finds.get());
    }
}
