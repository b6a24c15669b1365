package ai.continuum.server.config;

import ai.continuum.engine.EngineConfig;
import java.util.List;
import java.util.Locale;

/**
 * Every configuration key: its {@code application.yaml} path, the environment variables that set it (first wins), its
 * default and the values it allows. The single list the loader, the validation messages and {@code API.md} follow.
 */
public enum ConfigKey {
    HOST("server.host", Kind.STRING, "127.0.0.1", 0, 0, List.of("CONTINUUM_API_HOST", "CONTINUUM_HOST")),
    PORT("server.port", Kind.INT, "8420", 0, 65_535, List.of("CONTINUUM_API_PORT", "CONTINUUM_PORT")),
    MAX_BODY_BYTES("server.max-body-bytes", Kind.INT, "1048576", 1024, 64L << 20, List.of("CONTINUUM_MAX_BODY_BYTES")),
    SHUTDOWN_DRAIN_SECONDS(
            "server.shutdown-drain-seconds", Kind.INT, "5", 0, 600, List.of("CONTINUUM_SHUTDOWN_DRAIN_SECONDS")),
    METRICS_PUBLIC("server.metrics-public", Kind.BOOL, "true", 0, 0, List.of("CONTINUUM_METRICS_PUBLIC")),
    METRICS_TENANT_LABELS(
            "server.metrics-tenant-labels", Kind.BOOL, "false", 0, 0, List.of("CONTINUUM_METRICS_TENANT_LABELS")),
    CORS_ORIGINS("server.cors-origins", Kind.STRING, "", 0, 0, List.of("CONTINUUM_CORS_ORIGINS")),
    MAX_CONNECTIONS("server.max-connections", Kind.INT, "0", 0, 1_000_000, List.of("CONTINUUM_MAX_CONNECTIONS")),
    IDLE_TIMEOUT_SECONDS(
            "server.idle-timeout-seconds", Kind.INT, "30", 1, 3600, List.of("CONTINUUM_IDLE_TIMEOUT_SECONDS")),
    READ_TIMEOUT_SECONDS(
            "server.read-timeout-seconds", Kind.INT, "20", 1, 3600, List.of("CONTINUUM_READ_TIMEOUT_SECONDS")),
    HEARTBEAT_FILE("server.heartbeat-file", Kind.STRING, "", 0, 0, List.of("CONTINUUM_HEARTBEAT_FILE")),
    MEMORY_WRITE_LIMIT_PERCENT(
            "server.memory-write-limit-percent",
            Kind.INT,
            "90",
            0,
            99,
            List.of("CONTINUUM_MEMORY_WRITE_LIMIT_PERCENT")),
    BODY_TIMEOUT_SECONDS(
            "server.body-timeout-seconds", Kind.INT, "20", 1, 3600, List.of("CONTINUUM_BODY_TIMEOUT_SECONDS")),
    BODY_MIN_BYTES_PER_SECOND(
            "server.body-min-bytes-per-second",
            Kind.INT,
            "500",
            1,
            1L << 30,
            List.of("CONTINUUM_BODY_MIN_BYTES_PER_SECOND")),
    LISTENER_CHECK_SECONDS(
            "server.listener-check-seconds", Kind.INT, "5", 0, 3600, List.of("CONTINUUM_LISTENER_CHECK_SECONDS")),
    TLS_CERTIFICATE("server.tls.certificate", Kind.STRING, "", 0, 0, List.of("CONTINUUM_TLS_CERTIFICATE")),
    TLS_PRIVATE_KEY("server.tls.private-key", Kind.STRING, "", 0, 0, List.of("CONTINUUM_TLS_PRIVATE_KEY")),
    TLS_KEYSTORE("server.tls.keystore", Kind.STRING, "", 0, 0, List.of("CONTINUUM_TLS_KEYSTORE")),
    TLS_KEYSTORE_PASSWORD(
            "server.tls.keystore-password", Kind.SECRET, "", 0, 0, List.of("CONTINUUM_TLS_KEYSTORE_PASSWORD")),
    TLS_CLIENT_AUTH(
            "server.tls.client-auth",
            Kind.CHOICE,
            "none",
            0,
            0,
            List.of("CONTINUUM_TLS_CLIENT_AUTH"),
            "none",
            "optional",
            "required"),
    TLS_CLIENT_CA("server.tls.client-ca", Kind.STRING, "", 0, 0, List.of("CONTINUUM_TLS_CLIENT_CA")),
    TLS_RELOAD_SECONDS("server.tls.reload-seconds", Kind.INT, "60", 0, 86_400, List.of("CONTINUUM_TLS_RELOAD_SECONDS")),
    DATA_DIR(
            "storage.path",
            Kind.STRING,
            "./continuum_data",
            0,
            0,
            List.of("CONTINUUM_STORAGE_PATH", "CONTINUUM_DATA_DIR")),
    STORAGE_BACKEND(
            "storage.backend",
            Kind.CHOICE,
            "sqlite",
            0,
            0,
            List.of("CONTINUUM_STORAGE_BACKEND"),
            "sqlite",
            "postgresql"),
    CONNECTION_STRING(
            "storage.connection-string", Kind.SECRET, "", 0, 0, List.of("CONTINUUM_CONNECTION_STRING", "DATABASE_URL")),
    WRITE_QUEUE_CAPACITY(
            "storage.write-queue-capacity",
            Kind.INT,
            "10000",
            1,
            10_000_000,
            List.of("CONTINUUM_WRITE_QUEUE_CAPACITY")),
    IDEMPOTENCY_WINDOW_HOURS(
            "idempotency.window-hours", Kind.INT, "24", 1, 24L * 365, List.of("CONTINUUM_IDEMPOTENCY_WINDOW_HOURS")),
    INSTANCE_ID("instance-id", Kind.STRING, "", 0, 0, List.of("CONTINUUM_INSTANCE_ID")),
    DEFAULT_TENANT("auth.default-tenant", Kind.STRING, "default", 0, 0, List.of("CONTINUUM_TENANT_ID")),
    REQUIRE_API_KEY("auth.require-api-key", Kind.BOOL, "true", 0, 0, List.of("CONTINUUM_REQUIRE_API_KEY")),
    ADMIN_KEY("auth.admin-key", Kind.SECRET, "", 0, 0, List.of("CONTINUUM_ADMIN_KEY")),
    AUTH_FAILURES_PER_MINUTE(
            "auth.failures-per-minute", Kind.INT, "60", 0, 10_000_000, List.of("CONTINUUM_AUTH_FAILURES_PER_MINUTE")),
    RATE_LIMIT_PER_MINUTE("rate-limit.per-minute", Kind.INT, "60", 0, 10_000_000, List.of("CONTINUUM_RATE_LIMIT")),
    RATE_LIMIT_BURST("rate-limit.burst", Kind.INT, "10", 1, 10_000_000, List.of("CONTINUUM_RATE_LIMIT_BURST")),
    LOG_FORMAT("log.format", Kind.CHOICE, "text", 0, 0, List.of("CONTINUUM_LOG_FORMAT"), "text", "json"),
    LOG_LEVEL(
            "log.level",
            Kind.CHOICE,
            "info",
            0,
            0,
            List.of("CONTINUUM_LOG_LEVEL"),
            "error",
            "warn",
            "info",
            "debug",
            "trace"),
    RESONANCE_DECAY(
            "engine.resonance-decay",
            Kind.FRACTION,
            EngineConfig.DEFAULT_RESONANCE_DECAY,
            0,
            0,
            List.of("CONTINUUM_RESONANCE_DECAY", "RESONANCE_DECAY")),
    HEBBIAN_RATE(
            "engine.hebbian-rate",
            Kind.FRACTION,
            EngineConfig.DEFAULT_HEBBIAN_RATE,
            0,
            0,
            List.of("CONTINUUM_HEBBIAN_RATE", "CONTINUUM_HEBBIAN_LEARNING_RATE", "HEBBIAN_RATE")),
    MIN_LINK_STRENGTH(
            "engine.min-link-strength",
            Kind.FRACTION,
            EngineConfig.DEFAULT_MIN_LINK_STRENGTH,
            0,
            0,
            List.of("CONTINUUM_MIN_LINK_STRENGTH", "MIN_LINK_STRENGTH")),
    WORKING_MEMORY_CAPACITY(
            "engine.working-memory-capacity",
            Kind.INT,
            EngineConfig.DEFAULT_WORKING_MEMORY_CAPACITY,
            1,
            EngineConfig.MAX_WORKING_MEMORY_CAPACITY,
            List.of("CONTINUUM_WORKING_MEMORY_CAPACITY", "WORKING_MEMORY_CAPACITY")),
    DECAY_PER_DAY(
            "engine.decay-per-day",
            Kind.FRACTION,
            EngineConfig.DEFAULT_DECAY_PER_DAY,
            0,
            0,
            List.of("CONTINUUM_DECAY_PER_DAY")),
    DEPTH(
            "engine.depth",
            Kind.INT,
            EngineConfig.DEFAULT_DEPTH,
            0,
            EngineConfig.MAX_DEPTH,
            List.of("CONTINUUM_RECALL_DEPTH")),
    NEIGHBOURS_PER_HOP(
            "engine.neighbours-per-hop",
            Kind.INT,
            EngineConfig.DEFAULT_NEIGHBOURS_PER_HOP,
            1,
            EngineConfig.MAX_NEIGHBOURS_PER_HOP,
            List.of("CONTINUUM_NEIGHBOURS_PER_HOP")),
    SEMANTIC_INDEX("recall.semantic.enabled", Kind.BOOL, "false", 0, 0, List.of("CONTINUUM_SEMANTIC_INDEX")),
    SEMANTIC_MODEL(
            "recall.semantic.model",
            Kind.CHOICE,
            "all-minilm-l6-v2-q",
            0,
            0,
            List.of("CONTINUUM_SEMANTIC_MODEL"),
            "all-minilm-l6-v2-q",
            "all-minilm-l6-v2-static"),
    FLEET_POLL_MS("fleet.poll-ms", Kind.INT, "1000", 10, 3_600_000, List.of("CONTINUUM_FLEET_POLL_MS")),
    FLEET_READ_WAIT_MS("fleet.read-wait-ms", Kind.INT, "2000", 0, 60_000, List.of("CONTINUUM_FLEET_READ_WAIT_MS")),
    FLEET_MAX_LAG_SECONDS(
            "fleet.max-lag-seconds", Kind.INT, "30", 1, 86_400, List.of("CONTINUUM_FLEET_MAX_LAG_SECONDS")),
    SNAPSHOT_DIR("snapshot.dir", Kind.STRING, "", 0, 0, List.of("CONTINUUM_SNAPSHOT_DIR")),
    SNAPSHOT_INTERVAL_SECONDS(
            "snapshot.interval-seconds",
            Kind.INT,
            "600",
            0,
            31L * 86_400,
            List.of("CONTINUUM_SNAPSHOT_INTERVAL_SECONDS")),
    SNAPSHOT_CHECKPOINT_ENGINE(
            "snapshot.checkpoint-engine",
            Kind.CHOICE,
            "auto",
            0,
            0,
            List.of("CONTINUUM_SNAPSHOT_CHECKPOINT_ENGINE"),
            "auto",
            "separate",
            "serving"),
    SNAPSHOT_RESTORE("snapshot.restore", Kind.BOOL, "true", 0, 0, List.of("CONTINUUM_SNAPSHOT_RESTORE")),
    REDIS_URL("redis.url", Kind.SECRET, "", 0, 0, List.of("CONTINUUM_REDIS_URL")),
    REDIS_TIMEOUT_MS("redis.timeout-ms", Kind.INT, "50", 1, 10_000, List.of("CONTINUUM_REDIS_TIMEOUT_MS")),
    REDIS_KEY_PREFIX("redis.key-prefix", Kind.STRING, "continuum:", 0, 0, List.of("CONTINUUM_REDIS_KEY_PREFIX")),
    REDIS_CA_FILE("redis.ca-file", Kind.STRING, "", 0, 0, List.of("CONTINUUM_REDIS_CA_FILE")),
    FEDERATION_URL("federation.url", Kind.STRING, "", 0, 0, List.of("CONTINUUM_FEDERATION_URL")),
    FEDERATION_GROUP_KEY_FILE(
            "federation.group-key-file", Kind.STRING, "", 0, 0, List.of("CONTINUUM_FEDERATION_GROUP_KEY_FILE")),
    FEDERATION_CA_FILE("federation.ca-file", Kind.STRING, "", 0, 0, List.of("CONTINUUM_FEDERATION_CA_FILE")),
    FEDERATION_TENANT("federation.tenant", Kind.STRING, "", 0, 0, List.of("CONTINUUM_FEDERATION_TENANT")),
    FEDERATION_SYNC_INTERVAL_SECONDS(
            "federation.sync-interval-seconds",
            Kind.INT,
            "900",
            0,
            86_400,
            List.of("CONTINUUM_FEDERATION_SYNC_INTERVAL_SECONDS")),
    FEDERATION_MIN_LINK_COUNT(
            "federation.min-link-count", Kind.INT, "2", 1, 1_000_000, List.of("CONTINUUM_FEDERATION_MIN_LINK_COUNT")),
    FEDERATION_DP_EPSILON(
            "federation.dp-epsilon", Kind.STRING, "1.0", 0, 0, List.of("CONTINUUM_FEDERATION_DP_EPSILON")),
    FEDERATION_IN_RECALL(
            "federation.include-in-recall", Kind.BOOL, "true", 0, 0, List.of("CONTINUUM_FEDERATION_INCLUDE_IN_RECALL")),
    FEDERATION_SYNC_LEASE_SECONDS(
            "federation.sync-lease-seconds",
            Kind.INT,
            "120",
            5,
            86_400,
            List.of("CONTINUUM_FEDERATION_SYNC_LEASE_SECONDS")),
    EXPECTED_CONCEPTS(
            "engine.expected-concepts",
            Kind.INT,
            EngineConfig.DEFAULT_EXPECTED_CONCEPTS,
            EngineConfig.MIN_EXPECTED_CONCEPTS,
            1L << 31,
            List.of("CONTINUUM_EXPECTED_CONCEPTS"));

    /** How a raw text value is read. */
    public enum Kind {
        STRING,
        SECRET,
        INT,
        BOOL,
        CHOICE,
        /** A number in (0, 1]. */
        FRACTION
    }

    private final String path;
    private final Kind kind;
    private final String defaultValue;
    private final long min;
    private final long max;

    @SuppressWarnings("ImmutableEnumChecker") // List.of: immutable
    private final List<String> envNames;

    @SuppressWarnings("ImmutableEnumChecker") // List.of: immutable
    private final List<String> choices;

    /** An engine tunable whose default is defined by {@link EngineConfig}. */
    ConfigKey(
            final String path,
            final Kind kind,
            final double engineDefault,
            final long min,
            final long max,
            final List<String> envNames) {
        this(path, kind, Double.toString(engineDefault), min, max, envNames);
    }

    /** An engine tunable whose default is defined by {@link EngineConfig}. */
    ConfigKey(
            final String path,
            final Kind kind,
            final long engineDefault,
            final long min,
            final long max,
            final List<String> envNames) {
        this(path, kind, Long.toString(engineDefault), min, max, envNames);
    }

    ConfigKey(
            final String path,
            final Kind kind,
            final String defaultValue,
            final long min,
            final long max,
            final List<String> envNames,
            final String... choices) {
        this.path = path;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.envNames = List.copyOf(envNames);
        this.choices = List.of(choices);
    }

    public String path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public List<String> envNames() {
        return envNames;
    }

    public List<String> choices() {
        return choices;
    }

    /** What the key allows, in words, for error messages and documentation. */
    public String allowed() {
        return switch (kind) {
            case STRING, SECRET -> "text";
            case INT -> "an integer in [" + min + ", " + max + "]";
            case BOOL -> "true or false";
            case CHOICE -> "one of " + String.join(", ", choices);
            case FRACTION -> "a number in (0, 1]";
        };
    }

    /** Parses and range-checks {@code raw}, naming {@code origin} (e.g. "environment CONTINUUM_API_PORT") on error. */
    Object parse(final String raw, final String origin) {
        final String value = raw.strip();
        return switch (kind) {
            case STRING, SECRET -> value;
            case INT -> {
                final long n;
                try {
                    n = Long.parseLong(value);
                } catch (final NumberFormatException e) {
                    throw invalid(raw, origin);
                }
                if (n < min || n > max) {
                    throw invalid(raw, origin);
                }
                yield n;
            }
            case BOOL ->
                switch (value.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "1", "on" -> true;
                    case "false", "no", "0", "off" -> false;
                    default -> throw invalid(raw, origin);
                };
            case CHOICE -> {
                final String lower = value.toLowerCase(Locale.ROOT);
                final String normal = "warning".equals(lower) ? "warn" : lower;
                if (!choices.contains(normal)) {
                    throw invalid(raw, origin);
                }
                yield normal;
            }
            case FRACTION -> {
                final double d;
                try {
                    d = Double.parseDouble(value);
                } catch (final NumberFormatException e) {
                    throw invalid(raw, origin);
                }
                if (!(d > 0.0 && d <= 1.0)) {
                    throw invalid(raw, origin);
                }
                yield d;
            }
        };
    }

    private ConfigException invalid(final String raw, final String origin) {
        final String shown = kind == Kind.SECRET ? "<hidden>" : "'" + raw + "'";
        return new ConfigException(path + "=" + shown + " (from " + origin + ") is invalid: expected " + allowed());
    }
}
