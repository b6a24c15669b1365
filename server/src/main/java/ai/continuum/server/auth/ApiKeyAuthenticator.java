package ai.continuum.server.auth;

import ai.continuum.server.storage.ApiKeys;
import ai.continuum.server.storage.StorageUnavailableException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Checks presented keys and manages stored ones.
 *
 * <p>A presented key is parsed for its key id, the stored record is fetched by that id, and the stored digest is
 * verified in constant time ({@link KeyHasher}: a SHA-256 in microseconds; keys still in the older PBKDF2 form run
 * through {@link SlowHashGate} and are rewritten in the fast form once verified). Nothing locks a key id out: a wrong
 * secret costs the guesser a 401 and the holder nothing. A successful check is cached for {@link #cacheTtlNs}
 * under the SHA-256 of the full key (never the key itself); when it expires the record is read again, and the key is
 * verified again only if the stored hash changed. Revoking a key drops its cache entries at once, so a
 * revoked key fails on its very next request in this process. Other processes sharing the database notice a
 * revocation within the cache period. Failed checks are never cached. While the database cannot be read, a key whose
 * cached check expired keeps working for {@link #STALE_WHILE_UNAVAILABLE_NS}.
 *
 * <p>The admin key is held only as its SHA-256 digest and compared with {@link MessageDigest#isEqual}.
 *
 * <p>Thread-safe: the cache is a concurrent map; storage calls may run concurrently.
 */
public final class ApiKeyAuthenticator {
    /** Cache entries kept at most; when exceeded the cache is cleared (every key is then verified again). */
    static final int MAX_CACHE_ENTRIES = 100_000;
    /**
     * How long past its expiry a verified key keeps working while its record cannot be read (a database outage), so
     * that recall, served from memory, outlives the cache period of an outage. A key never verified by this process
     * cannot be checked then and fails with the storage error. The cost: a revocation made by another process during
     * the outage takes effect here up to this much later.
     */
    static final long STALE_WHILE_UNAVAILABLE_NS = TimeUnit.MINUTES.toNanos(10);

    /**
     * After a record lookup failed because the database is unavailable, verified keys are served from the cache without
     * a lookup for this long: a lookup during an outage waits for the driver's connect timeout (seconds), and paying it
     * on every request would make every read wait that long while the database is down.
     */
    static final long LOOKUP_BACKOFF_NS = TimeUnit.SECONDS.toNanos(5);

    /** {@link #nanoClock} time until which lookups are skipped for cached keys (see {@link #LOOKUP_BACKOFF_NS}). */
    private volatile long skipLookupsUntilNs;

    /** Whether a lookup failed with the database unavailable less than {@link #LOOKUP_BACKOFF_NS} ago. */
    private volatile boolean lookupsBackingOff;

    private final ApiKeys keys;
    private final KeyHasher hasher;
    private final byte[] adminDigest;
    private final String adminTenant;
    private final long cacheTtlNs;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<ByteBuffer, CacheEntry> cache = new ConcurrentHashMap<>();
    /** Bounds the PBKDF2 checks of keys stored before the fast form. */
    private final SlowHashGate slowChecks;
    /** Keys revoked through this process; closes the race with a check that fetched the key just before revoke. */
    private final Set<String> revokedHere = ConcurrentHashMap.newKeySet();

    /** A verified key: who it is, until when, and the stored hash it was verified against. */
    private record CacheEntry(Principal principal, long expiresAtNs, String storedHash) {}

    /** A key just minted; {@code apiKey} is the only copy of the secret and is shown once. */
    public record CreatedKey(String apiKey, String keyId, String tenant, String name, Instant createdAt) {}

    /**
     * @param adminKey    the admin key (plain text, held here only as a digest).
     * @param adminTenant tenant the admin key acts on for data endpoints.
     * @param cacheTtlNs  how long a verified key skips the record lookup.
     * @param nanoClock   monotonic time in nanoseconds (System::nanoTime in production).
     */
    public ApiKeyAuthenticator(
            final ApiKeys keys,
            final KeyHasher hasher,
            final String adminKey,
            final String adminTenant,
            final long cacheTtlNs,
            final LongSupplier nanoClock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.adminDigest = KeyHasher.sha256(Objects.requireNonNull(adminKey, "adminKey"));
        this.adminTenant = adminTenant;
        this.cacheTtlNs = cacheTtlNs;
        this.nanoClock = nanoClock;
        this.slowChecks = SlowHashGate.forServer();
    }

    /**
     * For key management without a server (the CLI): no admin key is accepted, since the digest it compares against
     * is of a fresh random key that is never shown.
     */
    public static ApiKeyAuthenticator forManagement(final ApiKeys keys) {
        return new ApiKeyAuthenticator(
                keys,
                new KeyHasher(KeyHasher.DEFAULT_ITERATIONS),
                ApiKeyFormat.generate().fullKey(),
                "default",
                0,
                System::nanoTime);
    }

    /** The caller a presented key identifies, or empty when the key is unknown, wrong or revoked. */
    public Optional<Principal> authenticate(final String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 256) {
            return Optional.empty();
        }
        final byte[] digest = KeyHasher.sha256(presented);
        if (MessageDigest.isEqual(digest, adminDigest)) {
            return Optional.of(new Principal(adminTenant, Principal.ADMIN_KEY_ID, true));
        }
        final ByteBuffer cacheKey = ByteBuffer.wrap(digest);
        final long nowNs = nanoClock.getAsLong();
        final CacheEntry hit = cache.get(cacheKey);
        if (hit != null && hit.expiresAtNs - nowNs > 0 && !revokedHere.contains(hit.principal.keyId())) {
            return Optional.of(hit.principal);
        }
        final Optional<ApiKeyFormat.Parsed> parsed = ApiKeyFormat.parse(presented);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        final String keyId = parsed.get().keyId();
        final boolean staleUsable =
                hit != null && nowNs - hit.expiresAtNs < STALE_WHILE_UNAVAILABLE_NS && !revokedHere.contains(keyId);
        if (staleUsable && lookupsBackingOff && skipLookupsUntilNs - nowNs > 0) {
            return Optional.of(hit.principal);
        }
        final Optional<ApiKeys.StoredKey> stored;
        try {
            stored = keys.find(keyId);
            lookupsBackingOff = false;
        } catch (final StorageUnavailableException e) {
            skipLookupsUntilNs = nanoClock.getAsLong() + LOOKUP_BACKOFF_NS;
            lookupsBackingOff = true;
            if (revokedHere.contains(keyId)) {
                return Optional.empty();
            }
            if (staleUsable) {
                return Optional.of(hit.principal);
            }
            throw e;
        }
        if (stored.isEmpty() || stored.get().revoked()) {
            cache.remove(cacheKey);
            return Optional.empty();
        }
        if (hit != null
                && hit.storedHash.equals(stored.get().hash())
                && hit.principal.keyId().equals(keyId)) {
            // This exact key (same SHA-256) was verified against this same stored hash: the record still holds, so
            // the slow hash need not run again. Without this, every request in flight when an entry expires would
            // run PBKDF2 at once (measured: 17% of CPU samples under load), and guesses could lock out its holder.
            return Optional.of(cacheVerified(cacheKey, hit.principal, stored.get(), nowNs));
        }
        final String storedHash = stored.get().hash();
        final boolean slow = KeyHasher.isSlow(storedHash);
        final boolean matches = slow
                ? slowChecks.run(() -> hasher.verify(presented, storedHash))
                : hasher.verify(presented, storedHash);
        if (!matches) {
            cache.remove(cacheKey);
            return Optional.empty();
        }
        ApiKeys.StoredKey key = stored.get();
        if (slow) {
            key = migrate(key, presented);
        }
        if (revokedHere.contains(key.keyId())) {
            return Optional.empty();
        }
        return Optional.of(cacheVerified(cacheKey, new Principal(key.tenant(), key.keyId(), key.admin()), key, nowNs));
    }

    /**
     * Rewrites a key verified against its PBKDF2 form in the fast form, so its holder never waits for the slow hash
     * again (nor for the gate, when someone floods guesses for its id). When the record changed meanwhile (revoked,
     * or rewritten by another instance) it is left alone.
     */
    private ApiKeys.StoredKey migrate(final ApiKeys.StoredKey key, final String presented) {
        final String fast = hasher.hash(presented);
        if (!keys.rehash(key.keyId(), key.hash(), fast)) {
            return key;
        }
        return new ApiKeys.StoredKey(
                key.keyId(),
                key.tenant(),
                key.name(),
                fast,
                key.admin(),
                key.createdAt(),
                key.revokedAt(),
                key.lastUsedAt());
    }

    private Principal cacheVerified(
            final ByteBuffer cacheKey, final Principal principal, final ApiKeys.StoredKey key, final long nowNs) {
        if (cache.size() >= MAX_CACHE_ENTRIES) {
            cache.clear();
        }
        cache.put(cacheKey, new CacheEntry(principal, nowNs + cacheTtlNs, key.hash()));
        keys.touch(key.keyId(), Instant.now());
        return principal;
    }

    public CreatedKey create(final String tenant, final String name, final String by) {
        final ApiKeyFormat.Parsed key = ApiKeyFormat.generate();
        final Instant now = Instant.now();
        keys.insert(
                new ApiKeys.StoredKey(key.keyId(), tenant, name, hasher.hash(key.fullKey()), false, now, null, null));
        AuditLog.keyCreated(key.keyId(), tenant, by);
        return new CreatedKey(key.fullKey(), key.keyId(), tenant, name, now);
    }

    public List<ApiKeys.StoredKey> list() {
        return keys.list();
    }

    /** Forgets the cached verifications of a key revoked by another instance: its next use is checked again. */
    public void forgetCached(final String keyId) {
        cache.values().removeIf(e -> e.principal.keyId().equals(keyId));
    }

    /**
     * Expires every cached verification (revocations elsewhere may have gone unannounced): each key's next use reads
     * its record again. The entries stay, so a key verified here keeps working while that read fails (the database
     * may still be coming back when the announcements' connection is), exactly as for an entry expired by age.
     */
    public void forgetCached() {
        // The announcements reconnecting usually means the database is back: read the records now, not after a
        // back-off.
        lookupsBackingOff = false;
        final long nowNs = nanoClock.getAsLong();
        cache.replaceAll((k, e) -> e.expiresAtNs - nowNs > 0 ? new CacheEntry(e.principal, nowNs, e.storedHash) : e);
    }

    /** Revokes a key and forgets its cached verifications; false when there is no such key. */
    public boolean revoke(final String keyId, final String by) {
        final Optional<ApiKeys.StoredKey> stored = keys.find(keyId);
        if (stored.isEmpty() || !keys.revoke(keyId, Instant.now())) {
            return false;
        }
        revokedHere.add(keyId);
        cache.values().removeIf(e -> e.principal.keyId().equals(keyId));
        AuditLog.keyRevoked(keyId, stored.get().tenant(), by);
        return true;
    }
}
