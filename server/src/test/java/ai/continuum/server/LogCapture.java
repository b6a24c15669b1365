package ai.continuum.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records some loggers publish while a test runs, those loggers held at INFO meanwhile; closing detaches the
 * capture and gives each logger back its own level. The tests of a module share one JVM, and whatever ran before may
 * have set the root logger's level: every command line run in-process ({@code ContinuumCli.run}, through
 * {@code LogSetup.apply}) leaves it at WARNING unless {@code --verbose}, which drops every INFO record of a logger
 * without a level of its own (the access log's filter does not even write its line then, nor count a 429's).
 */
public final class LogCapture implements AutoCloseable {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    /** Held strongly: the logging framework keeps loggers only weakly, and a collected one would lose the handler. */
    private final List<Logger> loggers = new ArrayList<>();

    private final List<Level> ownLevels = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(final LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture() {}

    /** Captures what the loggers of these names publish, at INFO and above, until closed. */
    public static LogCapture of(final String... loggerNames) {
        final LogCapture capture = new LogCapture();
        for (final String name : loggerNames) {
            final Logger logger = Logger.getLogger(name);
            capture.loggers.add(logger);
            capture.ownLevels.add(logger.getLevel());
            logger.setLevel(Level.INFO);
            logger.addHandler(capture.handler);
        }
        return capture;
    }

    /** Every record captured so far, in the order published; a live view, safe to read while records arrive. */
    public List<LogRecord> records() {
        return records;
    }

    /** The records captured so far at {@code level} or above. */
    public List<LogRecord> atLeast(final Level level) {
        return records.stream()
                .filter(r -> r.getLevel().intValue() >= level.intValue())
                .toList();
    }

    /** The messages of the records captured so far. */
    public List<String> messages() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).removeHandler(handler);
            loggers.get(i).setLevel(ownLevels.get(i));
        }
    }
}
