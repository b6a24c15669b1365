package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** API keys on each backend: stored, found, listed, revoked once, touched by the writer. */
class ApiKeysTest {
    private TestDatabase db;
    private Storage storage;
    private ApiKeys keys;

    private void open(final TestDatabase database) {
        db = database;
        storage = db.open(StorageSettings.defaults());
        keys = storage.apiKeys();
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    @OnEachBackend
    void shouldStoreFindAndListTenantAndAdminKeys(final TestDatabase database) {
        open(database);
        final ApiKeys.StoredKey tenantKey = key("k1", "tenant-a", false, 1_000);
        final ApiKeys.StoredKey adminKey = key("k0", null, true, 500);
        keys.insert(tenantKey);
        keys.insert(adminKey);
        assertEquals(tenantKey, keys.find("k1").orElseThrow());
        assertEquals(adminKey, keys.find("k0").orElseThrow());
        assertTrue(keys.find("nope").isEmpty());
        assertEquals(List.of(adminKey, tenantKey), keys.list(), "oldest first");
    }

    @OnEachBackend
    void shouldRefuseADuplicateKeyId(final TestDatabase database) {
        open(database);
        keys.insert(key("k1", "tenant-a", false, 1_000));
        assertThrows(IllegalArgumentException.class, () -> keys.insert(key("k1", "tenant-b", false, 2_000)));
        assertEquals("tenant-a", keys.find("k1").orElseThrow().tenant());
    }

    @OnEachBackend
    void shouldRevokeOnceAndKeepTheFirstRevocationTime(final TestDatabase database) {
        open(database);
        keys.insert(key("k1", "tenant-a", false, 1_000));
        assertTrue(keys.revoke("k1", Instant.ofEpochMilli(2_000)));
        assertTrue(keys.revoke("k1", Instant.ofEpochMilli(3_000)));
        final ApiKeys.StoredKey revoked = keys.find("k1").orElseThrow();
        assertTrue(revoked.revoked());
        assertEquals(Instant.ofEpochMilli(2_000), revoked.revokedAt());
        assertFalse(keys.revoke("missing", Instant.ofEpochMilli(2_000)));
    }

    @OnEachBackend
    void shouldPersistTheLatestTouchAcrossReopen(final TestDatabase database) {
        open(database);
        keys.insert(key("k1", "tenant-a", false, 1_000));
        keys.touch("k1", Instant.ofEpochMilli(9_000));
        keys.touch("k1", Instant.ofEpochMilli(8_000));
        storage.close();
        storage = db.open(StorageSettings.defaults());
        assertEquals(
                Instant.ofEpochMilli(9_000),
                storage.apiKeys().find("k1").orElseThrow().lastUsedAt());
    }

    private static ApiKeys.StoredKey key(final String id, final String tenant, final boolean admin, final long at) {
        return new ApiKeys.StoredKey(
                id, tenant, "name-" + id, "c2FsdA:aGFzaA", admin, Instant.ofEpochMilli(at), null, null);
    }
}
