package ai.continuum.server.federation.coordinator;

import ai.continuum.server.config.TlsSettings;
import ai.continuum.server.federation.HourlyLimits;
import ai.continuum.server.storage.PostgresStorage;
import ai.continuum.server.tls.TlsReloader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a coordinator runs.
 *
 * @param host           interface to bind.
 * @param port           port (0 picks a free one).
 * @param dataDir        its own data directory ({@code coordinator.db}, the operator token).
 * @param threshold      k: a pattern is released once this many distinct organisations contribute it (default 2).
 * @param maxSkewSeconds how far a signed request's timestamp may be from the coordinator's clock (default 300).
 * @param limits         per-node hourly limits by kind (0 turns one off).
 * @param tlsKeystore    a PKCS#12 key store with the server's key and certificate; null serves plain HTTP.
 * @param tlsPassword    the key store's password (null without TLS).
 * @param tlsReloadSeconds how often the key store is checked for a renewed certificate, applied to new connections
 *                       without a restart as the API listener does ({@link TlsReloader}); 0 reads it only at start.
 * @param operatorToken  the bearer token of the operator routes ({@code /federation/admin/...}).
 * @param connectionString a PostgreSQL connection string for the coordinator's database; null keeps it in SQLite
 *                       ({@code coordinator.db} in {@code dataDir}).
 */
public record CoordinatorSettings(
        String host,
        int port,
        Path dataDir,
        int threshold,
        long maxSkewSeconds,
        Map<HourlyLimits.Kind, Integer> limits,
        Path tlsKeystore,
        String tlsPassword,
        int tlsReloadSeconds,
        String operatorToken,
        String connectionString) {
    public static final int DEFAULT_PORT = 8421;
    public static final int DEFAULT_THRESHOLD = 2;

    public CoordinatorSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(operatorToken, "operatorToken");
        limits = Map.copyOf(limits);
        if (threshold < 1) {
            throw new IllegalArgumentException("the release threshold k must be at least 1, not " + threshold);
        }
        if (maxSkewSeconds < 1) {
            throw new IllegalArgumentException("the clock skew bound must be at least 1 s");
        }
        if (tlsReloadSeconds < 0) {
            throw new IllegalArgumentException("the TLS reload period must be 0 (off) or more seconds");
        }
        if (connectionString != null && connectionString.isBlank()) {
            connectionString = null;
        }
        if (operatorToken.length() < 16) {
            throw new IllegalArgumentException("the operator token must be at least 16 characters");
        }
    }

    public boolean tls() {
        return tlsKeystore != null;
    }

    /** The listener's TLS as the API listener's settings express it (a PKCS#12 key store, no client certificates). */
    public TlsSettings listenerTls() {
        if (!tls()) {
            return TlsSettings.off();
        }
        return new TlsSettings(
                Optional.empty(),
                Optional.empty(),
                Optional.of(tlsKeystore),
                tlsPassword,
                TlsSettings.NONE,
                Optional.empty(),
                tlsReloadSeconds);
    }

    @Override
    public String toString() {
        return "CoordinatorSettings[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", k=" + threshold
                + ", maxSkewSeconds=" + maxSkewSeconds + ", limits=" + limits + ", tls=" + tls()
                + ", database=" + (connectionString == null ? "sqlite" : PostgresStorage.redact(connectionString))
                + ", operatorToken=<hidden>]";
    }
}
