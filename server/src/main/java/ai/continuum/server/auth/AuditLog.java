package ai.continuum.server.auth;

import java.util.logging.Logger;

/**
 * Security-relevant events on their own logger ({@code continuum.audit}) so operators can route them apart (and feed
 * fail2ban with the 401 lines). Lines carry key ids and tenants, never key material. Thread-safe.
 */
public final class AuditLog {
    private static final Logger LOG = Logger.getLogger("continuum.audit");

    private AuditLog() {}

    public static void keyCreated(final String keyId, final String tenant, final String by) {
        LOG.info(() -> "event=key_created key_id=" + keyId + " tenant=" + tenant + " by=" + by);
    }

    public static void keyRevoked(final String keyId, final String tenant, final String by) {
        LOG.info(() -> "event=key_revoked key_id=" + keyId + " tenant=" + tenant + " by=" + by);
    }

    public static void unauthorized(final String remote, final String method, final String path, final String why) {
        LOG.warning(
                () -> "event=unauthorized remote=" + remote + " method=" + method + " path=" + path + " reason=" + why);
    }

    public static void forbidden(final String keyId, final String method, final String path) {
        LOG.warning(() -> "event=forbidden key_id=" + keyId + " method=" + method + " path=" + path);
    }

    public static void linksPruned(
            final String keyId, final String tenant, final double threshold, final long examined, final long pruned) {
        LOG.info(() -> "event=links_pruned key_id=" + keyId + " tenant=" + tenant + " threshold=" + threshold
                + " examined=" + examined + " pruned=" + pruned);
    }

    public static void adminKeyGenerated(final String file) {
        LOG.info(() -> "event=admin_key_generated file=" + file);
    }
}
