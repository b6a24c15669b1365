package ai.continuum.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class against one {@link DirectServer} (the real routing over SQLite in its own temporary data directory,
 * called without a socket), started before the class's first test and closed after its last. Subclasses use
 * {@link #server}; their own {@code @BeforeAll} methods run after it has started. Test classes run one at a time (no
 * JUnit parallel execution is configured), which the shared static field relies on.
 */
public abstract class OneRoutingPerClass {
    @TempDir
    protected static Path dataDir;

    protected static DirectServer server;

    @BeforeAll
    static void startOneService() {
        server = DirectServer.start(dataDir);
    }

    @AfterAll
    static void closeOneService() {
        server.close();
        server = null;
    }
}
