package ai.continuum.server.logging;

import java.util.logging.LogManager;

/**
 * A {@link LogManager} that ignores the reset java.util.logging performs from its own shutdown hook. That hook runs
 * concurrently with the server's shutdown hook and would otherwise silence the drain and stop messages of a graceful
 * shutdown. Every record is flushed as it is written, so nothing waits for the reset. Installed by
 * {@link LogSetup#installManager()} before the first logger is created.
 */
public final class ContinuumLogManager extends LogManager {
    private static final String JUL_CLEANER = "java.util.logging.LogManager$Cleaner";

    @Override
    public void reset() {
        if (JUL_CLEANER.equals(Thread.currentThread().getClass().getName())) {
            return;
        }
        super.reset();
    }
}
