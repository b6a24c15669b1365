package ai.continuum.server.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One tenant of a migration: what the import did and whether the target now holds the source's content.
 *
 * @param tenant      the tenant (same name in source and target).
 * @param result      what happened to the target tenant.
 * @param skipReason  why the import wrote nothing ({@link Result#UNCHANGED}), else null.
 * @param source      the source's counts and digest, from the snapshot that was copied; null when {@link Result#GONE}.
 * @param target      the target's counts and digest read back after the import; null when it holds no such tenant.
 * @param differences how the target differs from the source snapshot; empty when verified.
 */
public record TenantMigration(
        String tenant,
        Result result,
        String skipReason,
        TenantSection source,
        TenantSection target,
        List<String> differences) {
    public enum Result {
        /** The source's content was written into the target tenant (replacing what it held). */
        COPIED,
        /** The target tenant already held exactly this content from an earlier run; nothing was written. */
        UNCHANGED,
        /** The tenant disappeared from the source between listing and export; nothing to copy. */
        GONE
    }

    public TenantMigration {
        differences = List.copyOf(differences);
    }

    public boolean verified() {
        return differences.isEmpty();
    }

    /** Compares what was read back from the target with the source snapshot, count by count, then the digest. */
    static List<String> differences(final TenantSection source, final TenantSection target) {
        if (target == null) {
            return List.of("the target holds no tenant '" + source.tenant() + "'");
        }
        final List<String> found = new ArrayList<>();
        for (final Map.Entry<String, Long> e : source.counts().entrySet()) {
            final long theirs = target.counts().getOrDefault(e.getKey(), 0L);
            if (theirs != e.getValue()) {
                found.add(e.getKey() + " " + e.getValue() + " in the source, " + theirs + " in the target");
            }
        }
        if (!source.digest().equals(target.digest())) {
            found.add("content sha256 differs (source " + abbreviate(source.digest()) + ", target "
                    + abbreviate(target.digest()) + ")");
        }
        return found;
    }

    /** The first 12 hex digits, enough to tell digests apart in a table. */
    public static String abbreviate(final String digest) {
        return digest.length() <= 12 ? digest : digest.substring(0, 12);
    }
}
