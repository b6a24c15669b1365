package ai.continuum.server.config;

import ai.continuum.engine.EngineConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link ServerConfig} from its layers, later ones winning: defaults, the classpath
 * {@code application.yaml}, then {@code --config FILE} if given or else {@code <dataDir>/application.yaml} if present,
 * then {@code CONTINUUM_*} environment variables (secrets also from {@code <NAME>_FILE}), then command-line flags.
 *
 * <p>Every error names the key, the value (secrets hidden), where it came from and what is allowed. Unknown YAML keys
 * are reported through {@link #warnings()} rather than rejected, so a newer file still starts an older server.
 * Not thread-safe; use once on the starting thread.
 */
public final class ConfigLoader {
    static final String CLASSPATH_YAML = "application.yaml";

    private final Map<String, String> env;
    private final Map<ConfigKey, String> flags;
    private final Path configFile;
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param env        the environment (System.getenv() in production).
     * @param flags      values given on the command line.
     * @param configFile {@code --config FILE}, or null to look for {@code <dataDir>/application.yaml}.
     */
    public ConfigLoader(final Map<String, String> env, final Map<ConfigKey, String> flags, final Path configFile) {
        this.env = Map.copyOf(env);
        this.flags = flags.isEmpty() ? Map.of() : new EnumMap<>(flags);
        this.configFile = configFile;
    }

    /** The production loader: real environment, the given flags. */
    public static ServerConfig fromEnvironment(final Map<ConfigKey, String> flags, final Path configFile) {
        return new ConfigLoader(System.getenv(), flags, configFile).load();
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public ServerConfig load() {
        final Map<String, String> classpathYaml = readYaml(null);
        final Map<String, String> fileYaml;
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ConfigException("--config " + configFile + ": no such file");
            }
            fileYaml = readYaml(configFile);
        } else {
            final Map<ConfigKey, Resolved> early = resolveAll(classpathYaml, Map.of(), "");
            final Path dataDir = Path.of((String) early.get(ConfigKey.DATA_DIR).value());
            final Path candidate = dataDir.resolve("application.yaml");
            fileYaml = Files.isRegularFile(candidate) ? readYaml(candidate) : Map.of();
        }
        final String fileName = configFile != null ? configFile.toString() : "application.yaml in the data directory";
        final Map<ConfigKey, Resolved> values = resolveAll(classpathYaml, fileYaml, fileName);
        reportUnknown(classpathYaml, "classpath application.yaml");
        reportUnknown(fileYaml, fileName);
        return build(values);
    }

    private record Resolved(Object value, String origin) {}

    private Map<ConfigKey, Resolved> resolveAll(
            final Map<String, String> classpathYaml, final Map<String, String> fileYaml, final String fileName) {
        final Map<ConfigKey, Resolved> out = new EnumMap<>(ConfigKey.class);
        for (final ConfigKey key : ConfigKey.values()) {
            out.put(key, resolve(key, classpathYaml, fileYaml, fileName));
        }
        return out;
    }

    private Resolved resolve(
            final ConfigKey key,
            final Map<String, String> classpathYaml,
            final Map<String, String> fileYaml,
            final String fileName) {
        final String flag = flags.get(key);
        if (flag != null) {
            return parsed(key, flag, "command line");
        }
        for (final String name : key.envNames()) {
            final String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return parsed(key, value, "environment " + name);
            }
            if (key.kind() == ConfigKey.Kind.SECRET) {
                final String file = env.get(name + "_FILE");
                if (file != null && !file.isBlank()) {
                    return parsed(key, readSecretFile(name + "_FILE", file), "environment " + name + "_FILE");
                }
            }
        }
        final String fromFile = fileYaml.get(key.path());
        if (fromFile != null) {
            return parsed(key, fromFile, fileName);
        }
        final String fromClasspath = classpathYaml.get(key.path());
        if (fromClasspath != null) {
            return parsed(key, fromClasspath, "classpath application.yaml");
        }
        return parsed(key, key.defaultValue(), "default");
    }

    private static Resolved parsed(final ConfigKey key, final String raw, final String origin) {
        return new Resolved(key.parse(raw, origin), origin);
    }

    private static String readSecretFile(final String variable, final String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (final IOException | RuntimeException e) {
            throw new ConfigException(variable + "='" + file + "': cannot read the file (" + e.getMessage() + ")");
        }
    }

    private ServerConfig build(final Map<ConfigKey, Resolved> v) {
        final EngineConfig defaults = EngineConfig.defaults();
        final EngineConfig engine;
        try {
            engine = new EngineConfig(
                    dbl(v, ConfigKey.RESONANCE_DECAY),
                    dbl(v, ConfigKey.HEBBIAN_RATE),
                    dbl(v, ConfigKey.MIN_LINK_STRENGTH),
                    integer(v, ConfigKey.WORKING_MEMORY_CAPACITY),
                    integer(v, ConfigKey.DEPTH),
                    integer(v, ConfigKey.NEIGHBOURS_PER_HOP),
                    defaults.maxConcepts(),
                    defaults.maxMemories(),
                    defaults.maxRelationships(),
                    defaults.partialMatchRelevance(),
                    defaults.maxPartialMatches(),
                    dbl(v, ConfigKey.DECAY_PER_DAY),
                    defaults.maxConceptsPerMessage(),
                    (Long) v.get(ConfigKey.EXPECTED_CONCEPTS).value());
        } catch (final IllegalArgumentException e) {
            throw new ConfigException("engine configuration is invalid: " + e.getMessage());
        }
        final String instanceId = str(v, ConfigKey.INSTANCE_ID);
        return new ServerConfig(
                str(v, ConfigKey.HOST),
                integer(v, ConfigKey.PORT),
                (Long) v.get(ConfigKey.MAX_BODY_BYTES).value(),
                (Boolean) v.get(ConfigKey.METRICS_PUBLIC).value(),
                (Boolean) v.get(ConfigKey.METRICS_TENANT_LABELS).value(),
                origins(str(v, ConfigKey.CORS_ORIGINS)),
                Path.of(str(v, ConfigKey.DATA_DIR)),
                str(v, ConfigKey.STORAGE_BACKEND),
                str(v, ConfigKey.CONNECTION_STRING),
                integer(v, ConfigKey.WRITE_QUEUE_CAPACITY),
                instanceId.isEmpty() ? defaultInstanceId() : instanceId,
                str(v, ConfigKey.DEFAULT_TENANT),
                (Boolean) v.get(ConfigKey.REQUIRE_API_KEY).value(),
                str(v, ConfigKey.ADMIN_KEY),
                integer(v, ConfigKey.RATE_LIMIT_PER_MINUTE),
                integer(v, ConfigKey.RATE_LIMIT_BURST),
                str(v, ConfigKey.LOG_FORMAT),
                str(v, ConfigKey.LOG_LEVEL),
                engine,
                new FleetSettings(
                        (Long) v.get(ConfigKey.FLEET_POLL_MS).value(),
                        (Long) v.get(ConfigKey.FLEET_READ_WAIT_MS).value(),
                        (Long) v.get(ConfigKey.FLEET_MAX_LAG_SECONDS).value()),
                redis(v),
                new ConnectionLimits(
                        integer(v, ConfigKey.MAX_CONNECTIONS),
                        Duration.ofSeconds(integer(v, ConfigKey.IDLE_TIMEOUT_SECONDS)),
                        Duration.ofSeconds(integer(v, ConfigKey.READ_TIMEOUT_SECONDS)),
                        Duration.ofSeconds(integer(v, ConfigKey.BODY_TIMEOUT_SECONDS)),
                        integer(v, ConfigKey.BODY_MIN_BYTES_PER_SECOND),
                        Duration.ofSeconds(integer(v, ConfigKey.LISTENER_CHECK_SECONDS))),
                integer(v, ConfigKey.AUTH_FAILURES_PER_MINUTE),
                integer(v, ConfigKey.SHUTDOWN_DRAIN_SECONDS),
                integer(v, ConfigKey.IDEMPOTENCY_WINDOW_HOURS),
                new SnapshotSettings(
                        snapshotDir(str(v, ConfigKey.SNAPSHOT_DIR), Path.of(str(v, ConfigKey.DATA_DIR))),
                        (Long) v.get(ConfigKey.SNAPSHOT_INTERVAL_SECONDS).value(),
                        str(v, ConfigKey.SNAPSHOT_CHECKPOINT_ENGINE),
                        (Boolean) v.get(ConfigKey.SNAPSHOT_RESTORE).value()),
                new TlsSettings(
                        TlsSettings.path(str(v, ConfigKey.TLS_CERTIFICATE)),
                        TlsSettings.path(str(v, ConfigKey.TLS_PRIVATE_KEY)),
                        TlsSettings.path(str(v, ConfigKey.TLS_KEYSTORE)),
                        str(v, ConfigKey.TLS_KEYSTORE_PASSWORD),
                        str(v, ConfigKey.TLS_CLIENT_AUTH),
                        TlsSettings.path(str(v, ConfigKey.TLS_CLIENT_CA)),
                        integer(v, ConfigKey.TLS_RELOAD_SECONDS)),
                (Boolean) v.get(ConfigKey.SEMANTIC_INDEX).value(),
                str(v, ConfigKey.SEMANTIC_MODEL),
                FederationSettings.of(
                        str(v, ConfigKey.FEDERATION_URL),
                        str(v, ConfigKey.FEDERATION_GROUP_KEY_FILE),
                        str(v, ConfigKey.FEDERATION_CA_FILE),
                        str(v, ConfigKey.FEDERATION_TENANT).isEmpty()
                                ? str(v, ConfigKey.DEFAULT_TENANT)
                                : str(v, ConfigKey.FEDERATION_TENANT),
                        integer(v, ConfigKey.FEDERATION_SYNC_INTERVAL_SECONDS),
                        integer(v, ConfigKey.FEDERATION_MIN_LINK_COUNT),
                        str(v, ConfigKey.FEDERATION_DP_EPSILON),
                        (Boolean) v.get(ConfigKey.FEDERATION_IN_RECALL).value(),
                        integer(v, ConfigKey.FEDERATION_SYNC_LEASE_SECONDS)),
                TlsSettings.path(str(v, ConfigKey.HEARTBEAT_FILE)),
                integer(v, ConfigKey.MEMORY_WRITE_LIMIT_PERCENT));
    }

    private static RedisSettings redis(final Map<ConfigKey, Resolved> v) {
        try {
            return new RedisSettings(
                    str(v, ConfigKey.REDIS_URL),
                    Duration.ofMillis((Long) v.get(ConfigKey.REDIS_TIMEOUT_MS).value()),
                    str(v, ConfigKey.REDIS_KEY_PREFIX),
                    str(v, ConfigKey.REDIS_CA_FILE));
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The configured snapshot directory, or {@code snapshots} under the data directory when none is. */
    private static Path snapshotDir(final String configured, final Path dataDir) {
        return configured.isBlank() ? dataDir.resolve("snapshots") : Path.of(configured);
    }

    /** A comma-separated list, blanks dropped. */
    private static List<String> origins(final String raw) {
        return Arrays.stream(raw.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private String defaultInstanceId() {
        final String hostName = env.get("HOSTNAME");
        return hostName != null && !hostName.isBlank()
                ? hostName
                : "continuum-" + ProcessHandle.current().pid();
    }

    private static String str(final Map<ConfigKey, Resolved> v, final ConfigKey key) {
        return (String) v.get(key).value();
    }

    private static int integer(final Map<ConfigKey, Resolved> v, final ConfigKey key) {
        return Math.toIntExact((Long) v.get(key).value());
    }

    private static double dbl(final Map<ConfigKey, Resolved> v, final ConfigKey key) {
        return (Double) v.get(key).value();
    }

    private void reportUnknown(final Map<String, String> yaml, final String source) {
        for (final String path : yaml.keySet()) {
            if (!isKnown(path)) {
                warnings.add("unknown configuration key '" + path + "' in " + source + " is ignored");
            }
        }
    }

    private static boolean isKnown(final String path) {
        for (final ConfigKey key : ConfigKey.values()) {
            if (key.path().equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** Leaf values of a YAML file (or of the classpath {@code application.yaml} when {@code file} is null). */
    static Map<String, String> readYaml(final Path file) {
        final Config config;
        try {
            final var builder =
                    Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource();
            if (file == null) {
                if (ConfigLoader.class.getClassLoader().getResource(CLASSPATH_YAML) == null) {
                    return Map.of();
                }
                builder.sources(ConfigSources.classpath(CLASSPATH_YAML));
            } else {
                builder.sources(ConfigSources.file(file));
            }
            config = builder.build();
            final Map<String, String> leaves = new LinkedHashMap<>();
            config.traverse().filter(Config::isLeaf).forEach(node -> {
                final Optional<String> value = node.asString().asOptional();
                value.ifPresent(s -> leaves.put(node.key().toString(), s));
            });
            return leaves;
        } catch (final RuntimeException e) {
            throw new ConfigException((file == null ? "classpath " + CLASSPATH_YAML : file.toString())
                    + " cannot be read: " + e.getMessage());
        }
    }
}
