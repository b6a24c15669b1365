package ai.continuum.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Turn;
import ai.continuum.server.config.ConfigKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine loads while the listener starts ({@code EngineLoad}); a start whose port is taken fails with the port's
 * message and, having waited for that load, releases everything it opened: the same data directory then starts.
 */
class ListenerTakenTest {
    @TempDir
    Path dir;

    @Test
    void aTakenPortFailsTheStartAndReleasesTheStore() throws IOException {
        try (TestServer first = TestServer.start(dir)) {
            // Something to load, so the failed start below has a load running while its listener fails.
            first.server()
                    .core()
                    .learn("default", Turn.of(1, "Harbor Bridge links to Release Train", "noted", 1_000L), false);
        }
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> TestServer.start(dir, Map.of(ConfigKey.PORT, Integer.toString(taken.getLocalPort()))));
            assertTrue(e.getMessage().contains("cannot listen on"), e.getMessage());
        }
        // The SQLite process lock, the storage and the engine were released after the load ended.
        try (TestServer again = TestServer.start(dir)) {
            assertEquals(200, again.get("/v1/ready", null).status());
        }
    }
}
