package ai.continuum.server.cli;

import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.config.ConfigLoader;
import ai.continuum.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/**
 * Options every command shares: where the data is and which config file to read. Flags are the top layer of the
 * configuration (defaults &lt; application.yaml &lt; environment &lt; flags).
 */
public final class ConfigOptions {
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory (default ./continuum_data; env CONTINUUM_STORAGE_PATH).")
    Path dataDir;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML config file (default: <data-dir>/application.yaml when present).")
    Path configFile;

    @Option(names = "--verbose", description = "Log at info level (data commands log warnings only by default).")
    boolean verbose;

    /** Loads the configuration with {@code extra} flags on top; reports unknown keys as warnings. */
    ServerConfig load(final Map<ConfigKey, String> extra) {
        final Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        if (dataDir != null) {
            flags.put(ConfigKey.DATA_DIR, dataDir.toString());
        }
        flags.putAll(extra);
        final ConfigLoader loader = new ConfigLoader(System.getenv(), flags, configFile);
        final ServerConfig config = loader.load();
        loader.warnings()
                .forEach(w -> Logger.getLogger(ConfigOptions.class.getName()).warning(w));
        return config;
    }

    ServerConfig load() {
        return load(Map.of());
    }
}
