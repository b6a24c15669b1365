package ai.continuum.server;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Holds a logger at INFO while a test reads its INFO records, then gives it back its own level. The tests of a module
 * share one JVM, and whatever ran before may have set the root logger's level: every command line run in-process
 * ({@code ContinuumCli.run}, through {@code LogSetup.apply}) leaves it at WARNING unless {@code --verbose}, which
 * drops every INFO record of a logger without a level of its own (the access log's filter does not even write its
 * line then, nor count a 429's).
 */
public final class InfoLevelPin implements AutoCloseable {
    private final Logger logger;
    private final Level own;

    private InfoLevelPin(final Logger logger) {
        this.logger = logger;
        this.own = logger.getLevel();
        logger.setLevel(Level.INFO);
    }

    public static InfoLevelPin pin(final Logger logger) {
        return new InfoLevelPin(logger);
    }

    @Override
    public void close() {
        logger.setLevel(own);
    }
}
