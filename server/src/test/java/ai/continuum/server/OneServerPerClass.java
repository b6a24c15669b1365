package ai.continuum.server;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class against one real server (SQLite, on its own temporary data directory), started before the class's
 * first test and closed after its last. Subclasses use {@link #server}; their own {@code @BeforeAll} methods run after
 * the server has started. Test classes run one at a time (no JUnit parallel execution is configured), which the
 * shared static field relies on.
 */
public abstract class OneServerPerClass {
    @TempDir
    protected static Path dataDir;

    protected static TestServer server;

    @BeforeAll
    static void startOneServer() {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void closeOneServer() {
        server.close();
        server = null;
    }
}
