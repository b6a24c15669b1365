package ai.continuum.server.config;

import java.time.Duration;

/**
 * How many connections the listener holds and how long a quiet one may stay. Every accepted connection costs a file
 * descriptor; at the process's descriptor limit {@code accept} fails with {@code EMFILE} and Helidon's listener stops
 * for good, so the cap is never allowed above what the limit leaves once the descriptors already open (class path,
 * database, journal) and a reserve for those opened later are counted. Past the cap new connections wait in the
 * kernel's accept backlog until the idle or read timeout frees a slot.
 *
 * @param maxConnections the configured cap; 0 means {@link #DEFAULT_MAX_CONNECTIONS}, still bounded by the fd limit.
 * @param idleTimeout    a connection with no traffic for this long is closed (keep-alive and half-sent requests).
 * @param readTimeout    the longest wait for the next bytes of a request's headers or body.
 */
public record ConnectionLimits(int maxConnections, Duration idleTimeout, Duration readTimeout) {
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Descriptors kept free beyond those open at start: database files, WAL, journal, temp files, log rotation. */
    public static final int RESERVED_DESCRIPTORS = 64;
    /** The cap is never set below this, even under an absurdly low fd limit (the server would not start anyway). */
    public static final int MIN_CONNECTIONS = 8;

    public ConnectionLimits {
        if (maxConnections < 0) {
            throw new ConfigException(
                    "server.max-connections must be 0 (automatic) or positive, got " + maxConnections);
        }
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(0, Duration.ofSeconds(30), Duration.ofSeconds(20));
    }

    /**
     * The cap to apply: the configured one (or the default), lowered so that the connections plus the descriptors
     * {@code openDescriptors} already open plus {@link #RESERVED_DESCRIPTORS} fit in {@code descriptorLimit}.
     * A negative limit means unknown (not a Unix JVM) and leaves the configured cap.
     */
    public int effectiveMaxConnections(final long descriptorLimit, final long openDescriptors) {
        final int wanted = maxConnections == 0 ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        if (descriptorLimit < 0) {
            return wanted;
        }
        final long room = descriptorLimit - Math.max(0, openDescriptors) - RESERVED_DESCRIPTORS;
        return (int) Math.max(MIN_CONNECTIONS, Math.min(wanted, room));
    }
}
