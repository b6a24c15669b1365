package ai.continuum.server.logging;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Drops the access-log line of a request that asked for it (a failed authentication past its address's throttle,
 * already counted in a metric), so a flood of bogus keys cannot fill the disk through the access log either. The
 * access-log filter writes the line on the thread that handled the request, after the handler: a request marks its
 * thread with {@link #suppressCurrent()}, the filter on the access logger drops and clears the mark, and every
 * request starts with {@link #reset()} (a connection's thread serves its requests one after another). Thread-safe:
 * the mark is per thread.
 */
public final class SuppressedAccessLines implements Filter {
    /** The access log's logger, written by {@code http.AccessLogFilter} after the handler, on the request's thread. */
    public static final String ACCESS_LOGGER = "continuum.access";

    private static final ThreadLocal<Boolean> SUPPRESS = new ThreadLocal<>();
    /** Held so the logger, and the filter set on it, are not collected. */
    private static final Logger ACCESS = Logger.getLogger(ACCESS_LOGGER);

    static {
        ACCESS.setFilter(new SuppressedAccessLines());
    }

    private SuppressedAccessLines() {}

    /** Installs the filter (idempotent; the class initialiser does the work). */
    public static void install() {
        if (ACCESS.getFilter() == null) {
            ACCESS.setFilter(new SuppressedAccessLines());
        }
    }

    public static void reset() {
        SUPPRESS.remove();
    }

    public static void suppressCurrent() {
        SUPPRESS.set(Boolean.TRUE);
    }

    /** Whether the current request's line will be dropped. */
    public static boolean marked() {
        return SUPPRESS.get() != null;
    }

    @Override
    public boolean isLoggable(final LogRecord record) {
        if (SUPPRESS.get() != null) {
            SUPPRESS.remove();
            return false;
        }
        return true;
    }
}
