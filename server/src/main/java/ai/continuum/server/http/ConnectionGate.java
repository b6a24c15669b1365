package ai.continuum.server.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionProvider;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listener's only connection selector: it admits at most {@code cap} HTTP/1 connections and answers every
 * connection past the cap at once with 503 {@code too_many_connections} (the one error shape, {@code Retry-After},
 * {@code Connection: close}), then closes it.
 *
 * <p>Why a selector: Helidon 4.5's {@code max-tcp-connections} takes its permit <em>before</em> {@code accept}, so a
 * client past it waits in the kernel's backlog with no answer, and none of its listener settings refuses instead. A
 * listener with a single connection selector hands it each accepted connection before reading a byte, which makes the
 * selector the first code that sees a connection: here it counts the open ones, and past the cap returns a connection
 * that writes the refusal. Helidon's permit count is set to the cap plus
 * {@link ai.continuum.server.config.ConnectionLimits#REFUSAL_SLOTS}, so the descriptors stay bounded even while
 * refusals are being written; only when all those slots are busy does a new connection wait in the backlog. The HTTP/1
 * connections themselves are Helidon's, made by its own HTTP/1 selector (with the reader of
 * {@link ConnectionGuard#guarded}, so the body deadline applies). Thread-safe.
 */
public final class ConnectionGate implements ServerConnectionSelector {
    /** How long a refused connection is kept to read what its client still sends (closing on unread bytes resets). */
    static final Duration REFUSAL_LINGER = Duration.ofMillis(250);

    static final int RETRY_AFTER_SECONDS = 1;
    private static final int MAX_DRAINED_BYTES = 64 * 1024;

    private final ServerConnectionSelector http1;
    private final ConnectionGuard guard;
    private final int cap;
    private final byte[] refusal;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    public ConnectionGate(final Http1Config http1, final int cap, final ConnectionGuard guard) {
        this.http1 = new Http1ConnectionProvider()
                .create(WebServer.DEFAULT_SOCKET_NAME, http1, ProtocolConfigs.create(List.of(http1)));
        this.guard = guard;
        this.cap = cap;
        final String body = "{\"error\":\"too_many_connections\",\"message\":\"the server holds its maximum of " + cap
                + " connections (server.max-connections); retry after " + RETRY_AFTER_SECONDS + " s\"}";
        this.refusal = ("HTTP/1.1 503 Service Unavailable\r\n"
                        + "Content-Type: application/json\r\n"
                        + "Retry-After: " + RETRY_AFTER_SECONDS + "\r\n"
                        + "Connection: close\r\n"
                        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                        + "\r\n"
                        + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Zero: the connection is claimed before any byte is read (every connection here is HTTP/1). */
    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(final BufferData data) {
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(final ConnectionContext ctx) {
        if (open.incrementAndGet() > cap) {
            open.decrementAndGet();
            refused.incrementAndGet();
            return new Refusal(ctx.serverSocket());
        }
        try {
            return new Admitted(http1.connection(guard.guarded(ctx)));
        } catch (final RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
    }

    /** Connections admitted and not yet ended. */
    public int open() {
        return open.get();
    }

    /** Connections answered 503 because the cap was reached. */
    public long refused() {
        return refused.get();
    }

    /** Helidon's HTTP/1 connection, counted out when it ends. */
    private final class Admitted implements ServerConnection, InterruptableTask<Void> {
        private final ServerConnection connection;

        Admitted(final ServerConnection connection) {
            this.connection = connection;
        }

        @Override
        public void handle(final Limit limit) throws InterruptedException {
            try {
                connection.handle(limit);
            } finally {
                open.decrementAndGet();
            }
        }

        @Override
        public void handle(final Semaphore requestSemaphore) throws InterruptedException {
            try {
                connection.handle(requestSemaphore);
            } finally {
                open.decrementAndGet();
            }
        }

        @Override
        public Duration idleTime() {
            return connection.idleTime();
        }

        @Override
        public void close(final boolean interrupt) {
            connection.close(interrupt);
        }

        /** As Helidon's connection says: it may be interrupted at shutdown only while waiting for a request. */
        @Override
        public boolean canInterrupt() {
            return connection instanceof final InterruptableTask<?> task && task.canInterrupt();
        }
    }

    /** Writes the refusal, reads what the client still sends for at most {@link #REFUSAL_LINGER}, and ends. */
    private final class Refusal implements ServerConnection {
        private final HelidonSocket socket;

        Refusal(final HelidonSocket socket) {
            this.socket = socket;
        }

        @Override
        public void handle(final Limit limit) {
            refuse();
        }

        @Override
        public void handle(final Semaphore requestSemaphore) {
            refuse();
        }

        private void refuse() {
            // Scheduled before the write: over TLS the write waits for the client's handshake, which it may never end.
            final ScheduledFuture<?> cut = guard.closeAfter(socket, REFUSAL_LINGER);
            try {
                socket.write(BufferData.create(refusal));
                // The request's bytes are read before the close: closing a socket with unread input sends a reset,
                // which can destroy the answer before the client reads it.
                long drained = 0;
                byte[] bytes;
                while (drained < MAX_DRAINED_BYTES && (bytes = socket.get()) != null) {
                    drained += bytes.length;
                }
            } catch (final RuntimeException e) {
                // The client left, or the linger ran out: either way the connection is over.
            } finally {
                cut.cancel(false);
            }
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(final boolean interrupt) {
            socket.close();
        }
    }
}
