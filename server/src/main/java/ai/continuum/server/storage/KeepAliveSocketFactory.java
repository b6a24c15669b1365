package ai.continuum.server.storage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketOption;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * The sockets of the PostgreSQL driver ({@code socketFactory} in {@link PostgresUrl}'s defaults): TCP keepalive on,
 * with the first probe after {@link #IDLE_SECONDS} of silence, then every {@link #INTERVAL_SECONDS}, the connection
 * closed after {@link #PROBES} unanswered. A database host that vanished (a network partition, a node lost without a
 * FIN or RST) is so noticed within about two minutes on every connection, including those on which the statement
 * timeout is lifted (migrations, {@code VACUUM}; {@link PostgresStorage#withoutNetworkTimeout}), where the operating
 * system's defaults (Linux: two hours before the first probe) would leave them waiting that long. A live server's
 * kernel answers the probes whatever its backend is doing, so a long statement is never cut by them.
 *
 * <p>Set per socket, so it needs no privilege and no pod {@code sysctl} (which older Kubernetes versions refuse); a
 * platform without the per-socket options keeps its defaults. The driver creates the socket unconnected through
 * {@link #createSocket()} and connects it itself; the connected forms are here for other callers of a
 * {@link SocketFactory}. Stateless and thread-safe; the driver instantiates it by name, so it is public with a public
 * no-argument constructor.
 */
public final class KeepAliveSocketFactory extends SocketFactory {
    /** Seconds of silence before the first probe: well below the statement timeout ({@code socketTimeout}, 300 s). */
    static final int IDLE_SECONDS = 60;
    /** Seconds between unanswered probes. */
    static final int INTERVAL_SECONDS = 10;
    /** Unanswered probes after which the kernel closes the connection: 60 + 6 x 10 = 120 s in all. */
    static final int PROBES = 6;

    /** For the driver, which instantiates the factory by its class name. */
    public KeepAliveSocketFactory() {}

    @Override
    public Socket createSocket() throws IOException {
        return withKeepAlive(new Socket());
    }

    @Override
    public Socket createSocket(final String host, final int port) throws IOException {
        return withKeepAlive(new Socket(host, port));
    }

    @Override
    public Socket createSocket(final String host, final int port, final InetAddress localHost, final int localPort)
            throws IOException {
        return withKeepAlive(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(final InetAddress host, final int port) throws IOException {
        return withKeepAlive(new Socket(host, port));
    }

    @Override
    public Socket createSocket(
            final InetAddress address, final int port, final InetAddress localAddress, final int localPort)
            throws IOException {
        return withKeepAlive(new Socket(address, port, localAddress, localPort));
    }

    private static Socket withKeepAlive(final Socket socket) throws IOException {
        try {
            socket.setKeepAlive(true);
            setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPIDLE, IDLE_SECONDS);
            setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, INTERVAL_SECONDS);
            setIfSupported(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, PROBES);
            return socket;
        } catch (final IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static void setIfSupported(final Socket socket, final SocketOption<Integer> option, final int value)
            throws IOException {
        if (socket.supportedOptions().contains(option)) {
            socket.setOption(option, value);
        }
    }
}
