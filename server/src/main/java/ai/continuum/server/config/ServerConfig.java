package ai.continuum.server.config;

import ai.continuum.engine.EngineConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the server needs, validated once. Immutable; built by {@link ConfigLoader} and passed down through
 * constructors. {@link #toString()} hides the admin key and the connection string.
 *
 * @param host               interface to bind; default 127.0.0.1 (loopback only).
 * @param port               TCP port, 0 picks a free one; default 8420.
 * @param maxBodyBytes       largest accepted request body in bytes; larger bodies get 413. Default 1 MiB.
 * @param metricsPublic      whether {@code GET /metrics} answers without a key (for in-cluster scrapers); false
 *                           requires the admin key.
 * @param metricsTenantLabels whether the per-tenant series carry a {@code tenant_id} label (which names every tenant
 *                           to whoever may scrape); default false: those series are totals over all tenants.
 * @param corsOrigins        browser origins allowed to call {@code /v1} (e.g. http://localhost:3000); empty turns
 *                           CORS off (no browser page of another origin can call the API).
 * @param dataDir            directory of the SQLite database, the admin key file and {@code application.yaml}.
 * @param storageBackend     sqlite (default) or postgresql.
 * @param connectionString   JDBC URL for postgresql; empty for sqlite.
 * @param writeQueueCapacity write-behind ops waiting for commit before learn answers 503; default 10,000.
 * @param instanceId         this process's name in stats and logs; defaults to the host name.
 * @param defaultTenant      tenant of the admin key and of anonymous requests when keys are not required.
 * @param requireApiKey      whether data endpoints need a key; false is only allowed on a loopback host.
 * @param adminKey           the admin key, or empty to use (or generate) {@code <dataDir>/admin.key}.
 * @param rateLimitPerMinute sustained requests per minute per key; 0 turns rate limiting off. Default 60.
 * @param rateLimitBurst     requests a key may make at once before the sustained rate applies. Default 10.
 * @param logFormat          text or json (one JSON object per line).
 * @param logLevel           error, warn, info, debug or trace.
 * @param engine             the engine's tunables.
 * @param fleet              how this instance keeps up with others on a shared PostgreSQL database.
 * @param redis              the optional Redis that holds the rate-limit buckets every instance shares.
 * @param connections        the listener's connection cap and timeouts.
 * @param authFailuresPerMinute failed authentications per client address a minute (after a burst of 20) answered 401
 *                           and audited; past that 429, counted and not logged. 0 turns the throttle off.
 * @param shutdownDrainSeconds on SIGTERM, how long readiness reports 503 while requests are still served, before
 *                           new requests are refused and the in-flight ones finish; default 5.
 * @param idempotencyWindowHours how long an {@code Idempotency-Key} is kept: a retry within it is answered from the
 *                           stored result; default 24.
 * @param snapshots          engine snapshots: where, how often, whether a start restores one.
 * @param tls                the listener's TLS (off by default).
 * @param semanticIndex      whether the engine keeps a semantic index (recall.semantic.enabled): every memory embedded
 *                           in the background by the in-process sentence model, recall fusing the nearest with
 *                           words and graph; default false (benchmarks/RESULTS.md says why).
 * @param semanticModel      the semantic index's model (recall.semantic.model): all-minilm-l6-v2-q, the sentence model
 *                           (the default), or all-minilm-l6-v2-static, its light form (a sum of the model's token
 *                           vectors: about a hundredth of its cost, most of its quality).
 * @param federation         whether and how this service takes part in a federation.
 * @param heartbeatFile      where the server keeps its heartbeat (see {@code http/Heartbeat}): a file refreshed after
 *                           each self-request to its own listener answered 200, which a container health check reads
 *                           without starting a JVM; empty (the default) keeps none. The container image sets
 *                           {@code /tmp/continuum-heartbeat}.
 * @param memoryWriteLimitPercent the share of the memory limit at which learns, stored memories and imports are
 *                           refused (503 {@code memory_pressure}) until the process holds 5 points less; 0 turns it
 *                           off, else 50..99; default 90 (see {@code core/MemoryPressure}).
 */
public record ServerConfig(
        String host,
        int port,
        long maxBodyBytes,
        boolean metricsPublic,
        boolean metricsTenantLabels,
        List<String> corsOrigins,
        Path dataDir,
        String storageBackend,
        String connectionString,
        int writeQueueCapacity,
        String instanceId,
        String defaultTenant,
        boolean requireApiKey,
        String adminKey,
        int rateLimitPerMinute,
        int rateLimitBurst,
        String logFormat,
        String logLevel,
        EngineConfig engine,
        FleetSettings fleet,
        RedisSettings redis,
        ConnectionLimits connections,
        int authFailuresPerMinute,
        int shutdownDrainSeconds,
        int idempotencyWindowHours,
        SnapshotSettings snapshots,
        TlsSettings tls,
        boolean semanticIndex,
        String semanticModel,
        FederationSettings federation,
        Optional<Path> heartbeatFile,
        int memoryWriteLimitPercent) {

    /** The smallest {@code memoryWriteLimitPercent} but 0 (off): below it a healthy service would refuse its writes. */
    public static final int MIN_MEMORY_WRITE_LIMIT_PERCENT = 50;

    /** Tenant names: what the engine and the SQL schema accept, and safe in logs and metric labels. */
    public static final Pattern TENANT_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(storageBackend, "storageBackend");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(federation, "federation");
        Objects.requireNonNull(heartbeatFile, "heartbeatFile");
        if (memoryWriteLimitPercent != 0 && memoryWriteLimitPercent < MIN_MEMORY_WRITE_LIMIT_PERCENT) {
            throw new ConfigException("server.memory-write-limit-percent=" + memoryWriteLimitPercent + " is invalid: 0 "
                    + "(off) or " + MIN_MEMORY_WRITE_LIMIT_PERCENT + "..99 (below that a healthy service refuses its "
                    + "writes)");
        }
        connectionString = connectionString == null ? "" : connectionString;
        corsOrigins = List.copyOf(corsOrigins);
        for (final String origin : corsOrigins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw new ConfigException("server.cors-origins entry '" + origin + "' is invalid: expected * or an "
                        + "origin such as http://localhost:3000 (scheme and host, no path)");
            }
        }
        adminKey = adminKey == null ? "" : adminKey;
        if (host.isBlank()) {
            throw new ConfigException("server.host is empty: expected a host name or IP address such as 127.0.0.1");
        }
        if (!TENANT_PATTERN.matcher(defaultTenant).matches()) {
            throw new ConfigException("auth.default-tenant='" + defaultTenant + "' is invalid: expected 1-128 of "
                    + "letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if ("postgresql".equals(storageBackend) && connectionString.isBlank()) {
            throw new ConfigException("storage.backend=postgresql needs storage.connection-string "
                    + "(CONTINUUM_CONNECTION_STRING), e.g. jdbc:postgresql://db:5432/continuum");
        }
        if (!adminKey.isEmpty() && adminKey.length() < 16) {
            throw new ConfigException(
                    "auth.admin-key (CONTINUUM_ADMIN_KEY) is too short: expected at least 16 " + "characters");
        }
        if (!requireApiKey && !isLoopback(host)) {
            throw new ConfigException("auth.require-api-key=false is only allowed when server.host is a loopback "
                    + "address (127.0.0.1, ::1, localhost), but server.host='" + host + "'");
        }
    }

    public boolean sqlite() {
        return "sqlite".equals(storageBackend);
    }

    public boolean jsonLogs() {
        return "json".equals(logFormat);
    }

    /** Whether {@code host} names only this machine. Literal addresses and "localhost" need no DNS. */
    public static boolean isLoopback(final String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (final UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes + ", metricsPublic="
                + metricsPublic + ", corsOrigins="
                + corsOrigins + ", dataDir="
                + dataDir + ", storageBackend=" + storageBackend + ", connectionString="
                + (connectionString.isEmpty() ? "" : "<hidden>") + ", writeQueueCapacity=" + writeQueueCapacity
                + ", instanceId=" + instanceId + ", defaultTenant=" + defaultTenant + ", requireApiKey=" + requireApiKey
                + ", adminKey=" + (adminKey.isEmpty() ? "" : "<hidden>") + ", rateLimitPerMinute=" + rateLimitPerMinute
                + ", rateLimitBurst=" + rateLimitBurst + ", logFormat=" + logFormat + ", logLevel=" + logLevel
                + ", engine=" + engine + ", fleet=" + fleet + ", redis=" + redis + ", connections=" + connections
                + ", authFailuresPerMinute=" + authFailuresPerMinute
                + ", shutdownDrainSeconds=" + shutdownDrainSeconds
                + ", idempotencyWindowHours=" + idempotencyWindowHours + ", tls=" + tls
                + ", semanticIndex=" + semanticIndex + ", semanticModel=" + semanticModel + ", federation=" + federation
                + ", snapshots=" + snapshots
                + ", heartbeatFile=" + heartbeatFile.map(Path::toString).orElse("")
                + ", memoryWriteLimitPercent=" + memoryWriteLimitPercent + "]";
    }
}
