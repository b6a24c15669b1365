package ai.continuum.server.config;

import java.time.Duration;

/**
 * How many connections the listener holds and how long a quiet or slow one may stay. Every accepted connection costs a
 * file descriptor; at the process's descriptor limit {@code accept} fails with {@code EMFILE} and Helidon's listener
 * stops for good, so the cap is never allowed above what the limit leaves once the descriptors already open (class
 * path, database, journal), a reserve for those opened later and the refusal slots are counted. Past the cap a new
 * connection is accepted into one of {@link #REFUSAL_SLOTS} slots, answered 503 and closed at once.
 *
 * @param maxConnections        the configured cap; 0 means {@link #DEFAULT_MAX_CONNECTIONS}, still bounded by the fd
 *                              limit.
 * @param idleTimeout           a connection with no traffic for this long is closed (keep-alive and half-sent
 *                              requests).
 * @param readTimeout           the longest wait for a request's headers once its request line arrived.
 * @param bodyTimeout           the time a request body may take before the credit its bytes earn: a handler waiting
 *                              for body bytes past {@code bodyTimeout + received / bodyMinBytesPerSecond} (seconds
 *                              after the headers) has its connection closed.
 * @param bodyMinBytesPerSecond each this many body bytes received extend the body deadline by one second, so an upload
 *                              at any useful speed never meets it while a trickle does.
 * @param listenerCheck         how often the listening socket is checked (0 = never); when it is gone the process
 *                              exits so its supervisor restarts it.
 */
public record ConnectionLimits(
        int maxConnections,
        Duration idleTimeout,
        Duration readTimeout,
        Duration bodyTimeout,
        int bodyMinBytesPerSecond,
        Duration listenerCheck) {
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Descriptors kept free beyond those open at start: database files, WAL, journal, temp files, log rotation. */
    public static final int RESERVED_DESCRIPTORS = 64;
    /**
     * Connections past the cap that may be in the middle of their refusal at once (each for at most a quarter of a second); beyond
     * them new connections wait in the kernel's accept backlog until a refusal ends.
     */
    public static final int REFUSAL_SLOTS = 64;
    /** The cap is never set below this, even under an absurdly low fd limit (the server would not start anyway). */
    public static final int MIN_CONNECTIONS = 8;

    public ConnectionLimits {
        if (maxConnections < 0) {
            throw new ConfigException(
                    "server.max-connections must be 0 (automatic) or positive, got " + maxConnections);
        }
        if (bodyMinBytesPerSecond < 1) {
            throw new ConfigException(
                    "server.body-min-bytes-per-second must be positive, got " + bodyMinBytesPerSecond);
        }
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(
                0, Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(20), 500, Duration.ofSeconds(5));
    }

    /**
     * The cap to apply: the configured one (or the default), lowered so that the connections plus the refusal slots
     * plus the descriptors {@code openDescriptors} already open plus {@link #RESERVED_DESCRIPTORS} fit in
     * {@code descriptorLimit}. A negative limit means unknown (not a Unix JVM) and leaves the configured cap.
     */
    public int effectiveMaxConnections(final long descriptorLimit, final long openDescriptors) {
        final int wanted = maxConnections == 0 ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        if (descriptorLimit < 0) {
            return wanted;
        }
        final long room = descriptorLimit - Math.max(0, openDescriptors) - RESERVED_DESCRIPTORS - REFUSAL_SLOTS;
        return (int) Math.max(MIN_CONNECTIONS, Math.min(wanted, room));
    }
}
