package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.common.socket.PlainSocket;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.Router;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guard's deadlines on real loopback sockets, with the sweep run by hand on a clock the test moves. */
class ConnectionGuardTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(8);
    private static final HttpPrologue PROLOGUE =
            HttpPrologue.create("http/1.1", "HTTP", "1.1", Method.GET, "/v1/health", false);

    private final AtomicLong clock = new AtomicLong();
    private final List<Socket> sockets = new ArrayList<>();
    private ServerSocket listener;
    private ConnectionGuard guard;

    @BeforeEach
    void start() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        guard = new ConnectionGuard(READ_TIMEOUT, Duration.ofSeconds(10), 1_000, clock::get);
    }

    @AfterEach
    void stop() throws IOException {
        guard.close();
        for (final Socket socket : sockets) {
            socket.close();
        }
        listener.close();
    }

    @Test
    void shouldCloseEveryLateConnectionWhenOneIsAlreadyBeingClosed() throws IOException {
        final Pair closing = connect();
        final Pair late = connect();
        guard.prologue(closing.context(), PROLOGUE);
        guard.prologue(late.context(), PROLOGUE);
        // Where the connection's own thread is when its client left: Helidon's close has shut the output down and
        // not yet closed the input, so the sweep's close of the same socket fails.
        closing.server().shutdownOutput();

        clock.addAndGet(READ_TIMEOUT.toNanos() + 1);
        assertDoesNotThrow(guard::sweep, "a failed close must not end the sweep, and with it every later timeout");

        assertEquals(2, guard.headerTimeouts());
        assertTrue(closedByServer(late.client()), "the other late connection is closed in the same sweep");
    }

    @Test
    void shouldCloseAConnectionThatAskedForItOnceItsResponseIsWritten() throws IOException {
        final Pair pair = connect();
        guard.prologue(pair.context(), PROLOGUE);
        guard.headers(pair.context(), WritableHeaders.create().set(HeaderValues.CONNECTION_CLOSE));
        guard.sendListener().status(pair.context(), Status.OK_200);

        clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        guard.sweep();
        assertFalse(closedByServer(pair.client()), "kept while the response may still be written");

        clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
        guard.sweep();
        assertTrue(closedByServer(pair.client()));
        assertEquals(1, guard.closesHonoured());
        assertEquals(0, guard.headerTimeouts());
    }

    private Pair connect() throws IOException {
        final Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        sockets.add(client);
        final Socket server = listener.accept();
        sockets.add(server);
        return new Pair(client, server, new SocketContext(PlainSocket.server(server, "1", "0")));
    }

    /** Whether the server ended the connection: the client reads end-of-stream within a second. */
    private static boolean closedByServer(final Socket client) throws IOException {
        client.setSoTimeout(1_000);
        try {
            return client.getInputStream().read() < 0;
        } catch (final SocketTimeoutException e) {
            return false;
        }
    }

    private record Pair(Socket client, Socket server, SocketContext context) {}

    /** The part of a connection's context the guard reads: its socket. */
    private record SocketContext(HelidonSocket socket) implements ConnectionContext {
        @Override
        public HelidonSocket serverSocket() {
            return socket;
        }

        @Override
        public PeerInfo remotePeer() {
            return socket.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return socket.localPeer();
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public String socketId() {
            return socket.socketId();
        }

        @Override
        public String childSocketId() {
            return socket.childSocketId();
        }

        @Override
        public ListenerContext listenerContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ExecutorService executor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public DataWriter dataWriter() {
            throw new UnsupportedOperationException();
        }

        @Override
        public DataReader dataReader() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Router router() {
            throw new UnsupportedOperationException();
        }
    }
}
