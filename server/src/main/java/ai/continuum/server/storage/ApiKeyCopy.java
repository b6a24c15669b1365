package ai.continuum.server.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Copies API keys verbatim (id, tenant, name, salted hash, admin flag, creation, revocation and last-use times) from
 * one storage to another, so a key issued against the source authenticates against the target: only hashes are
 * stored, and a hash verifies the same key on any backend.
 *
 * <p>Idempotent: a key the target already holds is left as it is, except that a revocation at the source is carried
 * over (a key revoked at the source must not keep working at the target); a revocation only at the target stays.
 * A target key with the same id but another hash, tenant or admin flag is a different key: it is never overwritten,
 * and is reported as a conflict. Thread safety: stateless.
 */
public final class ApiKeyCopy {
    /**
     * What a copy of the API keys did.
     *
     * @param copied    keys inserted into the target.
     * @param present   keys the target already held (unchanged, or only their revocation carried over).
     * @param revoked   of those, keys whose source revocation was carried over.
     * @param conflicts key ids the target holds as a different key (not copied).
     */
    public record Result(int copied, int present, int revoked, List<String> conflicts) {}

    private ApiKeyCopy() {}

    public static Result copy(final ApiKeys from, final ApiKeys to) {
        int copied = 0;
        int present = 0;
        int revoked = 0;
        final List<String> conflicts = new ArrayList<>();
        for (final ApiKeys.StoredKey key : from.list()) {
            final Optional<ApiKeys.StoredKey> existing = to.find(key.keyId());
            if (existing.isEmpty()) {
                to.insert(key);
                copied++;
                continue;
            }
            final ApiKeys.StoredKey held = existing.get();
            if (!held.hash().equals(key.hash()) || !held.tenant().equals(key.tenant()) || held.admin() != key.admin()) {
                conflicts.add(key.keyId());
                continue;
            }
            present++;
            if (key.revoked() && !held.revoked()) {
                to.revoke(key.keyId(), key.revokedAt());
                revoked++;
            }
        }
        return new Result(copied, present, revoked, List.copyOf(conflicts));
    }
}
