package ai.continuum.server.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stored API keys. A key is {@code cm_<keyId>_<secret>}; only a hash of the whole key is stored (see
 * {@code auth.KeyHasher}), looked up by {@code keyId} and verified in constant time by the caller.
 */
public interface ApiKeys {

    record StoredKey(
            String keyId,
            String tenant,
            String name,
            String hash,
            boolean admin,
            Instant createdAt,
            Instant revokedAt,
            Instant lastUsedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    void insert(StoredKey key);

    Optional<StoredKey> find(String keyId);

    List<StoredKey> list();

    /**
     * Marks the key revoked at {@code at}.
     *
     * @return false when no such key exists.
     */
    boolean revoke(String keyId, Instant at);

    void touch(String keyId, Instant at);

    /**
     * Replaces the stored hash of {@code keyId} with {@code newHash} if it is still {@code oldHash} and the key is not
     * revoked (a key's stored form is upgraded after a successful check).
     *
     * @return whether the hash was replaced.
     */
    boolean rehash(String keyId, String oldHash, String newHash);
}
