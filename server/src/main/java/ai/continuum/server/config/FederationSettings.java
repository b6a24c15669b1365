package ai.continuum.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether and how this service takes part in a federation (server/FEDERATION.md). Off while {@code url} is empty.
 *
 * @param url                 the coordinator's base URL ({@code https://...}); empty: not federated.
 * @param groupKeyFile        the file holding the group key (base64 of 32 bytes); its content is never logged.
 * @param caFile              a PEM certificate the coordinator's TLS certificate must chain to; empty: the JDK's
 *                            default trust store.
 * @param tenant              the tenant whose learned pairs are shared, and whose recall may include pulled ones.
 * @param syncIntervalSeconds seconds between background syncs; 0: only on demand.
 * @param minLinkCount        a concept pair is shared once seen together at least this often.
 * @param epsilon             differential-privacy budget per shared weight (Laplace noise of scale 1/epsilon); 0: no
 *                            noise.
 * @param includeInRecall     recall's default for {@code include_federated}.
 * @param syncLeaseSeconds    how long a sync may hold the node's sync lease without renewing it (it renews after every
 *                            batch): the replicas of one deployment sync one at a time, and a replica killed mid-sync
 *                            blocks the others at most this long.
 */
public record FederationSettings(
        String url,
        String groupKeyFile,
        String caFile,
        String tenant,
        int syncIntervalSeconds,
        int minLinkCount,
        double epsilon,
        boolean includeInRecall,
        int syncLeaseSeconds) {
    public static final FederationSettings OFF = new FederationSettings(
            "",
            "",
            "",
            "default",
            0,
            2,
            1.0,
            true,
            Integer.parseInt(ConfigKey.FEDERATION_SYNC_LEASE_SECONDS.defaultValue()));

    public FederationSettings {
        if (!url.isEmpty()) {
            final URI uri = parse(url);
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("https") && !scheme.equals("http")) || uri.getHost() == null) {
                throw new ConfigException("federation.url='" + url + "' is invalid: expected https://host:port");
            }
            if (groupKeyFile.isEmpty()) {
                throw new ConfigException("federation.url is set but federation.group-key-file "
                        + "(CONTINUUM_FEDERATION_GROUP_KEY_FILE) is not: a member needs the group key");
            }
        }
    }

    private static URI parse(final String url) {
        try {
            return URI.create(url);
        } catch (final IllegalArgumentException e) {
            throw new ConfigException("federation.url='" + url + "' is not a URL");
        }
    }

    /** Parses the epsilon text; the other values are already checked by their keys. */
    static FederationSettings of(
            final String url,
            final String groupKeyFile,
            final String caFile,
            final String tenant,
            final int syncIntervalSeconds,
            final int minLinkCount,
            final String epsilon,
            final boolean includeInRecall,
            final int syncLeaseSeconds) {
        final double e;
        try {
            e = Double.parseDouble(epsilon.strip());
        } catch (final NumberFormatException ex) {
            throw new ConfigException("federation.dp-epsilon='" + epsilon + "' is invalid: expected a number >= 0");
        }
        if (!(e >= 0) || Double.isInfinite(e)) {
            throw new ConfigException("federation.dp-epsilon='" + epsilon + "' is invalid: expected a number >= 0");
        }
        return new FederationSettings(
                url.strip(),
                groupKeyFile,
                caFile,
                tenant,
                syncIntervalSeconds,
                minLinkCount,
                e,
                includeInRecall,
                syncLeaseSeconds);
    }

    public boolean enabled() {
        return !url.isEmpty();
    }

    public Path groupKeyPath() {
        return Path.of(groupKeyFile);
    }
}
