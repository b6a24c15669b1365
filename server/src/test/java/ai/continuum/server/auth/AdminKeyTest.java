package ai.continuum.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.config.ConfigLoader;
import ai.continuum.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generated admin key reaches the console only on a terminal; elsewhere the message names the file. */
class AdminKeyTest {
    private static ServerConfig config(final Path dir) {
        return new ConfigLoader(Map.of(), Map.of(ConfigKey.DATA_DIR, dir.toString()), null).load();
    }

    @Test
    void shouldNotPrintTheKeyWhenOutputIsNotATerminal(@TempDir final Path dir) {
        final List<String> printed = new ArrayList<>();
        final String key = AdminKey.resolve(config(dir), printed::add, false);
        assertEquals(1, printed.size());
        assertFalse(printed.get(0).contains(key), "the secret must not reach collected logs: " + printed.get(0));
        assertTrue(printed.get(0).contains(dir.resolve(AdminKey.FILE_NAME).toString()), printed.get(0));
        assertEquals(key, AdminKey.resolve(config(dir), printed::add, false), "read back from the file");
        assertEquals(1, printed.size(), "announced once");
    }

    @Test
    void shouldShowTheKeyOnATerminal(@TempDir final Path dir) {
        final List<String> printed = new ArrayList<>();
        final String key = AdminKey.resolve(config(dir), printed::add, true);
        assertTrue(printed.get(0).contains(key));
    }

    @Test
    void shouldNotPrintTheKeyUnderTheTestRunner(@TempDir final Path dir) {
        final List<String> printed = new ArrayList<>();
        final String key = AdminKey.resolve(config(dir), printed::add);
        assertFalse(printed.get(0).contains(key), "surefire's output is not a terminal");
    }
}
