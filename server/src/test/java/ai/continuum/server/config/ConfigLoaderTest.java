package ai.continuum.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private ServerConfig load(final Map<String, String> env, final Map<ConfigKey, String> flags) {
        return new ConfigLoader(env, flags, null).load();
    }

    private Map<String, String> envWithDataDir() {
        return Map.of("CONTINUUM_STORAGE_PATH", dir.toString());
    }

    @Test
    void shouldUseDocumentedDefaultsWhenNothingIsSet() {
        final ServerConfig c = load(envWithDataDir(), Map.of());
        assertEquals("127.0.0.1", c.host());
        assertEquals(8420, c.port());
        assertEquals(60, c.rateLimitPerMinute());
        assertEquals(10, c.rateLimitBurst());
        assertEquals(1 << 20, c.maxBodyBytes());
        assertTrue(c.requireApiKey());
        assertEquals("sqlite", c.storageBackend());
        assertEquals("text", c.logFormat());
        assertEquals(0.85, c.engine().resonanceDecay());
        assertEquals(0.15, c.engine().hebbianRate());
        assertEquals(7, c.engine().workingMemoryCapacity());
        assertEquals("auto", c.snapshots().checkpointEngine());
        assertEquals(
                "serving",
                load(Map.of("CONTINUUM_SNAPSHOT_CHECKPOINT_ENGINE", "serving"), Map.of())
                        .snapshots()
                        .checkpointEngine());
    }

    @Test
    void shouldLetFlagsBeatEnvironmentBeatFileBeatDefaults() throws IOException {
        Files.writeString(dir.resolve("application.yaml"), """
            server:
              port: 9000
              host: localhost
            engine:
              resonance-decay: 0.5
              hebbian-rate: 0.2
            """);
        final Map<String, String> env = Map.of(
                "CONTINUUM_STORAGE_PATH", dir.toString(), "CONTINUUM_API_PORT", "9100", "RESONANCE_DECAY", "0.6");
        final ServerConfig fromEnv = load(env, Map.of());
        assertEquals(9100, fromEnv.port(), "environment beats the file");
        assertEquals("localhost", fromEnv.host(), "the file beats defaults");
        assertEquals(0.6, fromEnv.engine().resonanceDecay(), "ConfigMap name RESONANCE_DECAY is honoured");
        assertEquals(0.2, fromEnv.engine().hebbianRate());
        final ServerConfig fromFlag = load(env, Map.of(ConfigKey.PORT, "9200"));
        assertEquals(9200, fromFlag.port(), "flags beat the environment");
    }

    @Test
    void shouldReadExplicitConfigFileInsteadOfDataDirFile() throws IOException {
        final Path file = dir.resolve("custom.yaml");
        Files.writeString(file, "rate-limit:\n  per-minute: 120\n  burst: 20\nunknown:\n  key: 1\n");
        final ConfigLoader loader = new ConfigLoader(envWithDataDir(), Map.of(), file);
        final ServerConfig c = loader.load();
        assertEquals(120, c.rateLimitPerMinute());
        assertEquals(20, c.rateLimitBurst());
        assertTrue(
                loader.warnings().stream().anyMatch(w -> w.contains("unknown.key")),
                loader.warnings().toString());
        final ConfigException missing = assertThrows(
                ConfigException.class, () -> new ConfigLoader(Map.of(), Map.of(), dir.resolve("nope.yaml")).load());
        assertTrue(missing.getMessage().contains("nope.yaml"), missing.getMessage());
    }

    @Test
    void shouldNameKeyValueAndRuleWhenValueIsBad() {
        final ConfigException port =
                assertThrows(ConfigException.class, () -> load(Map.of("CONTINUUM_API_PORT", "http"), Map.of()));
        assertTrue(port.getMessage().contains("server.port"), port.getMessage());
        assertTrue(port.getMessage().contains("'http'"), port.getMessage());
        assertTrue(port.getMessage().contains("CONTINUUM_API_PORT"), port.getMessage());
        assertTrue(port.getMessage().contains("[0, 65535]"), port.getMessage());

        final ConfigException decay =
                assertThrows(ConfigException.class, () -> load(Map.of(), Map.of(ConfigKey.RESONANCE_DECAY, "1.5")));
        assertTrue(decay.getMessage().contains("engine.resonance-decay"), decay.getMessage());
        assertTrue(decay.getMessage().contains("(0, 1]"), decay.getMessage());

        final ConfigException format =
                assertThrows(ConfigException.class, () -> load(Map.of("CONTINUUM_LOG_FORMAT", "xml"), Map.of()));
        assertTrue(format.getMessage().contains("one of text, json"), format.getMessage());

        final ConfigException checkpoint = assertThrows(
                ConfigException.class, () -> load(Map.of("CONTINUUM_SNAPSHOT_CHECKPOINT_ENGINE", "copy"), Map.of()));
        assertTrue(checkpoint.getMessage().contains("one of auto, separate, serving"), checkpoint.getMessage());

        final ConfigException backend = assertThrows(
                ConfigException.class, () -> load(Map.of("CONTINUUM_STORAGE_BACKEND", "postgresql"), Map.of()));
        assertTrue(backend.getMessage().contains("connection-string"), backend.getMessage());
    }

    @Test
    void shouldHideSecretsInErrorsAndToString() {
        final ServerConfig c = load(Map.of("CONTINUUM_ADMIN_KEY", "super-secret-admin-key-123"), Map.of());
        assertFalse(c.toString().contains("super-secret"), c.toString());
        final ConfigException shortKey =
                assertThrows(ConfigException.class, () -> load(Map.of("CONTINUUM_ADMIN_KEY", "short"), Map.of()));
        assertFalse(shortKey.getMessage().contains("short'"), shortKey.getMessage());
    }

    @Test
    void shouldReadSecretFromFileVariable() throws IOException {
        final Path secret = dir.resolve("admin-secret");
        Files.writeString(secret, "file-based-admin-key-0123456789\n");
        final ServerConfig c = load(Map.of("CONTINUUM_ADMIN_KEY_FILE", secret.toString()), Map.of());
        assertEquals("file-based-admin-key-0123456789", c.adminKey());
    }

    @Test
    void shouldReadThePostgresConnectionStringFromEitherVariableOrItsFile() throws IOException {
        final Path secret = dir.resolve("database-url");
        Files.writeString(secret, "postgresql://app:s3cret@db:5432/continuum\n");
        final ServerConfig fromFile = load(
                Map.of(
                        "CONTINUUM_STORAGE_BACKEND",
                        "postgresql",
                        "CONTINUUM_CONNECTION_STRING_FILE",
                        secret.toString()),
                Map.of());
        assertEquals("postgresql", fromFile.storageBackend());
        assertEquals("postgresql://app:s3cret@db:5432/continuum", fromFile.connectionString());
        assertFalse(fromFile.toString().contains("s3cret"), fromFile.toString());

        final ServerConfig fromDatabaseUrlFile = load(
                Map.of("CONTINUUM_STORAGE_BACKEND", "postgresql", "DATABASE_URL_FILE", secret.toString()), Map.of());
        assertEquals("postgresql://app:s3cret@db:5432/continuum", fromDatabaseUrlFile.connectionString());

        final ServerConfig variableWins = load(
                Map.of(
                        "CONTINUUM_STORAGE_BACKEND",
                        "postgresql",
                        "CONTINUUM_CONNECTION_STRING",
                        "jdbc:postgresql://other/db",
                        "DATABASE_URL_FILE",
                        secret.toString()),
                Map.of());
        assertEquals("jdbc:postgresql://other/db", variableWins.connectionString());

        final ConfigException missing = assertThrows(
                ConfigException.class,
                () -> load(
                        Map.of(
                                "CONTINUUM_STORAGE_BACKEND",
                                "postgresql",
                                "CONTINUUM_CONNECTION_STRING_FILE",
                                dir.resolve("absent").toString()),
                        Map.of()));
        assertTrue(missing.getMessage().contains("CONTINUUM_CONNECTION_STRING_FILE"), missing.getMessage());
    }

    @Test
    void shouldRefuseAnonymousAccessUnlessBoundToLoopback() {
        final ConfigException e = assertThrows(
                ConfigException.class,
                () -> load(Map.of("CONTINUUM_REQUIRE_API_KEY", "false", "CONTINUUM_API_HOST", "0.0.0.0"), Map.of()));
        assertTrue(e.getMessage().contains("auth.require-api-key=false"), e.getMessage());
        assertTrue(e.getMessage().contains("0.0.0.0"), e.getMessage());
        assertFalse(load(Map.of("CONTINUUM_REQUIRE_API_KEY", "false"), Map.of()).requireApiKey());
    }
}
