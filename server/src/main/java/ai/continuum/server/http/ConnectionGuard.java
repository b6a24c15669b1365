package ai.continuum.server.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes HTTP/1 connections that Helidon 4.5 would keep open for ever: one whose request headers have not all arrived
 * within the read timeout of its first byte (a half-sent request holds a file descriptor, and Helidon applies neither
 * its read timeout nor its idle timeout while it waits for headers), and one whose client asked for
 * {@code Connection: close} once its response is written (Helidon marks the response but leaves the socket to the
 * idle timeout; it is closed about 2 s after the last byte of the response), and one whose handler waits for request
 * body bytes past the body deadline (a body sent a byte at a time would otherwise hold its connection for as long as
 * each byte beats the socket's read timeout). The body deadline is {@code body-timeout} after the headers plus one
 * second per {@code body-min-bytes-per-second} bytes received, and it only counts while the handler is blocked reading:
 * an upload at any useful speed earns credit far faster than time passes, and a handler that is slow to consume (an
 * import committing as it reads) is never blamed on the client. Helidon tells it what a connection's headers and
 * answers are through its HTTP/1 listeners, and {@link #guarded} counts the bytes read; a sweeper thread checks the
 * deadlines a few times a second. Thread-safe: listener calls come from the connections' threads.
 */
public final class ConnectionGuard implements Http1ConnectionListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());
    /**
     * How long after the last byte written a {@code Connection: close} exchange is closed. The listeners do not say
     * when a response is complete, so a streamed response (export) that pauses longer than this would be cut short.
     */
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final long SWEEP_MILLIS = 250;

    /** Where a connection is in its exchange, as far as its listeners tell. */
    private enum Phase {
        /** Between exchanges: Helidon's idle timeout covers it. */
        IDLE,
        /** A request line arrived but not yet all its headers: the read timeout runs. */
        HEADERS,
        /** Headers complete, the handler runs (and reads any body). */
        REQUEST,
        /** The response is being written; the next bytes received start a new request. */
        RESPONDING
    }

    /** What is known of one connection; fields are written by its own thread and read by the sweeper. */
    private static final class Tracked {
        final HelidonSocket socket;
        /** Read when the connection is tracked: a log line written after the close still names the client. */
        final String remoteHost;

        volatile Phase phase = Phase.IDLE;
        volatile long headersStartedNs;
        /** Set when the client asked for {@code Connection: close}; the close waits for the response. */
        volatile boolean closeRequested;

        volatile long lastSendNs;
        /** Bytes read from the socket so far. */
        final AtomicLong received = new AtomicLong();
        /** True while the connection's thread is blocked reading the socket. */
        volatile boolean reading;

        volatile long bodyStartNs;
        volatile long bodyStartBytes;

        Tracked(final HelidonSocket socket) {
            this.socket = socket;
            this.remoteHost = RemoteHost.of(socket.remotePeer());
        }
    }

    private final long readTimeoutNanos;
    private final long bodyTimeoutNanos;
    private final long bodyMinBytesPerSecond;
    private final LongSupplier clock;
    private final Map<HelidonSocket, Tracked> connections = new ConcurrentHashMap<>();
    private final AtomicLong headerTimeouts = new AtomicLong();
    private final AtomicLong closesHonoured = new AtomicLong();
    private final AtomicLong bodyTimeouts = new AtomicLong();
    /** When a body timeout was last logged: at most one line a minute, so a trickle flood cannot fill the log. */
    private final AtomicLong bodyLoggedNs = new AtomicLong(Long.MIN_VALUE);

    private final AtomicLong bodyTimeoutsLogged = new AtomicLong();
    private final ScheduledExecutorService sweeper;

    /** Starts the sweeper. */
    public ConnectionGuard(
            final Duration readTimeout,
            final Duration bodyTimeout,
            final int bodyMinBytesPerSecond,
            final LongSupplier clock) {
        this.readTimeoutNanos = readTimeout.toNanos();
        this.bodyTimeoutNanos = bodyTimeout.toNanos();
        this.bodyMinBytesPerSecond = bodyMinBytesPerSecond;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("connection-guard").factory());
        // Stopped by the sweeper's shutdown, not through this future.
        final ScheduledFuture<?> unused =
                sweeper.scheduleWithFixedDelay(this::sweepOrLog, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Receive side: a request line arrived, its headers are awaited. (A request line that never ends is Helidon's idle
     * timeout's: it treats a connection waiting for its prologue as idle.)
     */
    @Override
    public void prologue(final ConnectionContext ctx, final HttpPrologue prologue) {
        final Tracked tracked = connections.computeIfAbsent(ctx.serverSocket(), Tracked::new);
        tracked.headersStartedNs = clock.getAsLong();
        tracked.phase = Phase.HEADERS;
    }

    /** Receive side: the request's headers are complete. */
    @Override
    public void headers(final ConnectionContext ctx, final Headers headers) {
        final Tracked tracked = connections.computeIfAbsent(ctx.serverSocket(), Tracked::new);
        tracked.bodyStartBytes = tracked.received.get();
        tracked.bodyStartNs = clock.getAsLong();
        tracked.phase = Phase.REQUEST;
        if (headers.containsToken(HeaderValues.CONNECTION_CLOSE)) {
            tracked.closeRequested = true;
        }
    }

    /** The listener for the send side: the same state, fed by what is written. */
    public Http1ConnectionListener sendListener() {
        return new Http1ConnectionListener() {
            @Override
            public void data(final ConnectionContext ctx, final BufferData data) {
                sent(ctx);
            }

            @Override
            public void data(final ConnectionContext ctx, final byte[] bytes, final int offset, final int length) {
                sent(ctx);
            }

            @Override
            public void status(final ConnectionContext ctx, final Status status) {
                final Tracked tracked = connections.get(ctx.serverSocket());
                if (tracked != null) {
                    tracked.phase = Phase.RESPONDING;
                    tracked.lastSendNs = clock.getAsLong();
                }
            }

            @Override
            public void headers(final ConnectionContext ctx, final Headers headers) {
                final Tracked tracked = connections.get(ctx.serverSocket());
                if (tracked != null && headers.containsToken(HeaderValues.CONNECTION_CLOSE)) {
                    tracked.closeRequested = true;
                }
            }
        };
    }

    private void sent(final ConnectionContext ctx) {
        final Tracked tracked = connections.get(ctx.serverSocket());
        if (tracked != null) {
            tracked.lastSendNs = clock.getAsLong();
        }
    }

    /** The periodic task: a failure of one sweep is logged, and the next sweep runs as usual. */
    private void sweepOrLog() {
        try {
            sweep();
        } catch (final RuntimeException e) {
            LOG.log(Level.WARNING, "the connection sweep failed; it runs again in " + SWEEP_MILLIS + " ms", e);
        }
    }

    /**
     * Closes what passed its deadline and forgets closed connections. Runs on the sweeper thread only, and never
     * throws: an exception out of a periodic task cancels its schedule, and with it every later timeout.
     */
    void sweep() {
        final long now = clock.getAsLong();
        connections.values().removeIf(tracked -> {
            if (!tracked.socket.isConnected()) {
                return true;
            }
            final Phase phase = tracked.phase;
            if (phase == Phase.HEADERS && now - tracked.headersStartedNs > readTimeoutNanos) {
                headerTimeouts.incrementAndGet();
                LOG.fine(() -> "closing " + tracked.socket.socketId() + ": request headers incomplete after "
                        + Duration.ofNanos(readTimeoutNanos).toSeconds() + " s");
                return closeQuietly(tracked);
            }
            if (phase == Phase.REQUEST && tracked.reading && bodyOverdue(tracked, now)) {
                bodyTimedOut(tracked, now);
                return closeQuietly(tracked);
            }
            if (tracked.closeRequested && phase == Phase.RESPONDING && now - tracked.lastSendNs > CLOSE_GRACE_NANOS) {
                closesHonoured.incrementAndGet();
                return closeQuietly(tracked);
            }
            return false;
        });
    }

    /**
     * Closes a connection's socket; true, so it is forgotten either way. Helidon's close shuts the output down first,
     * which throws when the connection's own thread is closing it at the same moment (its client left); that thread
     * then finishes the close.
     */
    private static boolean closeQuietly(final Tracked tracked) {
        try {
            tracked.socket.close();
        } catch (final RuntimeException e) {
            LOG.fine(() -> "closing " + tracked.socket.socketId() + " failed (it is being closed already): " + e);
        }
        return true;
    }

    /** Whether a request body has taken longer than its deadline: the base timeout plus its bytes' credit. */
    private boolean bodyOverdue(final Tracked tracked, final long now) {
        final double creditNanos =
                (double) (tracked.received.get() - tracked.bodyStartBytes) * 1e9 / bodyMinBytesPerSecond;
        return now - tracked.bodyStartNs > bodyTimeoutNanos + (long) Math.min(creditNanos, Long.MAX_VALUE / 2.0);
    }

    private void bodyTimedOut(final Tracked tracked, final long now) {
        final long total = bodyTimeouts.incrementAndGet();
        final long last = bodyLoggedNs.get();
        if (last != Long.MIN_VALUE && now - last < TimeUnit.MINUTES.toNanos(1)) {
            return;
        }
        if (bodyLoggedNs.compareAndSet(last, now)) {
            final long since = total - bodyTimeoutsLogged.getAndSet(total);
            LOG.info(() -> "closed " + tracked.remoteHost + " (" + tracked.socket.socketId()
                    + "): its request body was too slow, " + (tracked.received.get() - tracked.bodyStartBytes)
                    + " bytes in " + Duration.ofNanos(now - tracked.bodyStartNs).toSeconds() + " s (server.body-"
                    + "timeout-seconds " + Duration.ofNanos(bodyTimeoutNanos).toSeconds() + ", server.body-min-bytes-"
                    + "per-second " + bodyMinBytesPerSecond + "); " + since + " such close(s) since the last line, "
                    + total + " in all (continuum_connections_timeouts_total{phase=\"body\"})");
        }
    }

    /**
     * {@code ctx} with a reader that counts the bytes read and tells the sweeper while the connection's thread waits
     * for more; what an HTTP/1 connection must be given for the body deadline to apply.
     */
    public ConnectionContext guarded(final ConnectionContext ctx) {
        final HelidonSocket socket = ctx.serverSocket();
        final Tracked tracked = connections.computeIfAbsent(socket, Tracked::new);
        final DataReader reader = DataReader.create(() -> {
            tracked.reading = true;
            try {
                final byte[] bytes = socket.get();
                if (bytes != null) {
                    tracked.received.addAndGet(bytes.length);
                }
                return bytes;
            } catch (final UncheckedIOException e) {
                // What Helidon's own reader throws, so its connection ends the same way.
                throw new ServerConnectionException("Reading from socket failed", e);
            } finally {
                tracked.reading = false;
            }
        });
        return new GuardedContext(ctx, reader);
    }

    /** Closes {@code socket} after {@code delay} unless the returned future is cancelled first. */
    ScheduledFuture<?> closeAfter(final HelidonSocket socket, final Duration delay) {
        return sweeper.schedule(socket::close, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Connections closed because a request body came too slowly. */
    public long bodyTimeouts() {
        return bodyTimeouts.get();
    }

    /** Connections closed because their headers did not arrive in time. */
    public long headerTimeouts() {
        return headerTimeouts.get();
    }

    /** Connections closed after their response because the client asked for it. */
    public long closesHonoured() {
        return closesHonoured.get();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** A connection's context with a counting reader in place of Helidon's. */
    private record GuardedContext(ConnectionContext ctx, DataReader reader) implements ConnectionContext {
        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
