package ai.continuum.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.EngineConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defaults live in one place each: engine tunables in {@link EngineConfig}, every other key in {@link ConfigKey}.
 * The shipped {@code application.yaml} repeats them for the reader's benefit; this test holds the three together.
 */
class DefaultsAgreeTest {
    @TempDir
    Path dataDir;

    @Test
    void everyValueInTheShippedYamlIsTheKeysDefault() {
        final Map<String, String> yaml = ConfigLoader.readYaml(null);
        assertTrue(yaml.size() >= 20, "application.yaml was not found on the class path: " + yaml);
        yaml.forEach((path, value) -> {
            final Optional<ConfigKey> key = Arrays.stream(ConfigKey.values())
                    .filter(k -> k.path().equals(path))
                    .findFirst();
            assertTrue(key.isPresent(), "application.yaml sets " + path + ", which is not a ConfigKey");
            assertEquals(
                    key.get().parse(key.get().defaultValue(), "ConfigKey default"),
                    key.get().parse(value, "application.yaml"),
                    "application.yaml " + path + " disagrees with ConfigKey."
                            + key.get().name());
        });
    }

    @Test
    void theEngineConfigBuiltFromDefaultsIsTheEnginesOwnDefaults() {
        final Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        flags.put(ConfigKey.DATA_DIR, dataDir.toString());
        final ServerConfig config = new ConfigLoader(Map.of(), flags, null).load();
        assertEquals(EngineConfig.defaults(), config.engine());
    }
}
