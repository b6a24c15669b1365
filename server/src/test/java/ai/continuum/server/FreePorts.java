package ai.continuum.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback port free now, for a server a test starts and restarts on a fixed address.
 *
 * <p>The port is drawn at random from below the kernel's ephemeral range: every outgoing connection (a JDBC pool, an
 * HTTP client) and every server bound to port 0 takes its port from that range, so a port picked there (what binding
 * port 0 here would give) is soon taken by another process between this check and the server's bind, or between a
 * stop and a restart. Below the range only tests that name a port compete, and they draw at random.
 */
public final class FreePorts {
    /** Where Linux keeps the ephemeral range ("low high"); elsewhere the IANA range is assumed. */
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** The IANA dynamic range's start, the ephemeral range of most systems other than Linux. */
    private static final int IANA_EPHEMERAL_LOW = 49_152;
    /** How many ports below the ephemeral range are drawn from. */
    private static final int SPAN = 10_000;

    private static final int ATTEMPTS = 50;

    private FreePorts() {}

    public static int loopback() {
        final int high = ephemeralLow();
        final int low = Math.max(1_024, high - SPAN);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            final int port = ThreadLocalRandom.current().nextInt(low, high);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "no free loopback port in [" + low + ", " + high + ") after " + ATTEMPTS + " draws");
    }

    /** Whether something accepts connections on the loopback port: a server that lost the race for it, say. */
    public static boolean listening(final int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    private static boolean bindable(final int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    /**
     * The start of the ephemeral range, when there is room below it. Read as lines: Files.readString returned only the
     * first character of this procfs file (JDK 25).
     */
    private static int ephemeralLow() {
        try {
            final String range = Files.readAllLines(EPHEMERAL_RANGE).getFirst().strip();
            final int low = Integer.parseInt(range.split("\\s+", -1)[0]);
            return low > 1_024 + SPAN / 10 ? low : IANA_EPHEMERAL_LOW;
        } catch (final IOException | RuntimeException e) {
            return IANA_EPHEMERAL_LOW;
        }
    }
}
