package ai.continuum.server.logging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Routes all java.util.logging output (ours, Helidon's, the access log, the audit log) to standard error in the chosen
 * format. Standard output stays free for CLI results.
 */
public final class LogSetup {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogSetup() {}

    /**
     * Selects {@link ContinuumLogManager} unless the user chose a manager; effective only before java.util.logging
     * is first used, so the CLI calls it first thing.
     */
    public static void installManager() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ContinuumLogManager.class.getName());
        }
    }

    /**
     * Sets the format and level of the server's log.
     *
     * @param format "text" or "json".
     * @param level  error, warn, info, debug or trace.
     */
    public static void apply(final String format, final String level) {
        LogManager.getLogManager().reset();
        final Logger root = Logger.getLogger("");
        final Level julLevel = julLevel(level);
        final Handler handler =
                new StreamHandler(
                        unclosable(System.err), "json".equals(format) ? new JsonFormatter() : new TextFormatter()) {
                    @Override
                    public synchronized void publish(final LogRecord record) {
                        super.publish(record);
                        flush();
                    }
                };
        handler.setLevel(julLevel);
        root.setLevel(julLevel);
        root.addHandler(handler);
        Thread.setDefaultUncaughtExceptionHandler(LogSetup::logUncaught);
    }

    /**
     * A thread ended by an exception nothing caught (a background loop a defect escaped) says so in the log, in its
     * format and at ERROR, rather than as the JVM's bare stack trace on standard error, which a JSON log pipeline cannot
     * parse and an alert on errors would not see.
     */
    static void logUncaught(final Thread thread, final Throwable e) {
        Logger.getLogger("continuum.thread")
                .log(
                        Level.SEVERE,
                        "thread " + thread.getName() + " ended by an uncaught "
                                + e.getClass().getName(),
                        e);
    }

    /**
     * Standard error for a handler: the next {@link #apply} resets logging, which closes the handler and its stream,
     * and standard error must stay open for the new handler (a command that applies twice logged nothing after).
     */
    private static OutputStream unclosable(final PrintStream err) {
        return new FilterOutputStream(err) {
            @Override
            public void write(final byte[] bytes, final int offset, final int length) {
                err.write(bytes, offset, length);
            }

            @Override
            public void close() {
                err.flush();
            }
        };
    }

    static Level julLevel(final String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "error" -> Level.SEVERE;
            case "warn" -> Level.WARNING;
            case "debug" -> Level.FINE;
            case "trace" -> Level.FINEST;
            default -> Level.INFO;
        };
    }

    static String levelName(final Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (level.intValue() >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (level.intValue() >= Level.INFO.intValue()) {
            return "INFO";
        }
        return level.intValue() >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    static String stackTrace(final Throwable t) {
        final StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** {@code 2026-11-27T07:00:00.123Z INFO  logger - message}, then the stack trace if any. */
    static final class TextFormatter extends Formatter {
        /** The longest level name ("ERROR", "DEBUG", "TRACE"); shorter ones are padded to it. */
        private static final int LEVEL_WIDTH = 5;

        @Override
        public String format(final LogRecord record) {
            final String level = levelName(record.getLevel());
            final StringBuilder line = new StringBuilder(128)
                    .append(Instant.ofEpochMilli(record.getMillis()))
                    .append(' ')
                    .append(level)
                    .repeat(' ', Math.max(0, LEVEL_WIDTH - level.length())) // left-aligned in five columns
                    .append(' ')
                    .append(record.getLoggerName())
                    .append(" - ")
                    .append(formatMessage(record))
                    .append('\n');
            if (record.getThrown() != null) {
                line.append(stackTrace(record.getThrown()));
            }
            return line.toString();
        }
    }

    /**
     * One JSON object per line: time, level, logger, thread, message, the record's {@link LogFields} as fields of their
     * own, and error when there is one.
     */
    public static final class JsonFormatter extends Formatter {
        @Override
        public String format(final LogRecord record) {
            final Map<String, Object> line = new LinkedHashMap<>();
            line.put("time", Instant.ofEpochMilli(record.getMillis()).toString());
            line.put("level", levelName(record.getLevel()));
            line.put("logger", record.getLoggerName());
            line.put("thread", Thread.currentThread().getName());
            line.put("message", formatMessage(record));
            final Object[] parameters = record.getParameters();
            if (parameters != null && parameters.length == 1 && parameters[0] instanceof LogFields fields) {
                fields.fields().forEach(line::putIfAbsent);
            }
            if (record.getThrown() != null) {
                line.put("error", stackTrace(record.getThrown()));
            }
            try {
                return JSON.writeValueAsString(line) + "\n";
            } catch (final JsonProcessingException e) {
                return "{\"level\":\"ERROR\",\"message\":\"unloggable record\"}\n";
            }
        }
    }
}
