package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A network partition between the service and PostgreSQL (the connections stay open, nothing gets through) fails a
 * statement after the driver's {@code socketTimeout} instead of hanging it, and the pool serves again once the
 * network heals. The connections run through {@link Proxy}, which holds every byte while partitioned; the tests set a
 * 2 s timeout in the URL, which overrides the default ({@link PostgresUrl}). Every wait is bounded, so a regression
 * fails instead of hanging the suite.
 */
class PostgresPartitionTest {
    private static final int TIMEOUT_S = 2;

    private PostgresSchema schema;
    private Proxy proxy;
    private final ExecutorService worker = Executors.newCachedThreadPool(r -> {
        final Thread t = new Thread(r, "partition-test-query");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void start() throws IOException {
        schema = PostgresSchema.create();
        proxy = Proxy.to(schema.url());
    }

    @AfterEach
    void stop() throws SQLException {
        proxy.close();
        worker.shutdownNow();
        schema.close();
    }

    @Test
    void shouldFailAStatementOnAPartitionedConnectionAndRecoverAfterTheNetworkHeals() throws Exception {
        try (HikariDataSource pool = pool("&socketTimeout=" + TIMEOUT_S)) {
            final Connection c = pool.getConnection();
            assertEquals(1, selectOne(c));

            proxy.partition();
            final long start = System.nanoTime();
            final Future<Integer> cut = worker.submit(() -> selectOne(c));
            final ExecutionException e = assertThrows(ExecutionException.class, () -> cut.get(10, TimeUnit.SECONDS));
            assertInstanceOf(SQLException.class, e.getCause());
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMs >= TIMEOUT_S * 1_000 - 200, "failed after the timeout, not before: " + waitedMs);
            c.close();

            proxy.heal();
            assertEquals(1, worker.submit(() -> selectOneFromPool(pool)).get(10, TimeUnit.SECONDS));
        }
    }

    /** The control: without a socket timeout the same statement is still waiting after twice the timeout. */
    @Test
    void shouldHangOnAPartitionedConnectionWithoutTheTimeout() throws Exception {
        try (HikariDataSource pool = pool("&socketTimeout=0")) {
            final Connection c = pool.getConnection();
            assertEquals(1, selectOne(c));

            proxy.partition();
            final Future<Integer> hung = worker.submit(() -> selectOne(c));
            assertThrows(TimeoutException.class, () -> hung.get(2L * TIMEOUT_S, TimeUnit.SECONDS));

            proxy.heal();
            assertEquals(1, hung.get(10, TimeUnit.SECONDS), "the held statement completes once the network heals");
            c.close();
        }
    }

    /**
     * Migrations borrow their connections without the timeout, so a statement that answers only after it still
     * completes, and the pool puts the timeout back for the next borrower. (Size 1: both borrows get the same
     * connection; the default pool shows the default comes back as well.)
     */
    @Test
    void shouldLiftTheTimeoutForMigrationsOnlyWhileTheConnectionIsBorrowed() throws SQLException {
        try (HikariDataSource pool = new HikariDataSource(
                PostgresStorage.poolConfig(schema.url() + "&socketTimeout=1", "short-timeout", 1))) {
            try (Connection c = PostgresStorage.withoutNetworkTimeout(pool).getConnection();
                    Statement st = c.createStatement()) {
                assertEquals(0, c.getNetworkTimeout());
                st.execute("SELECT pg_sleep(2)");
            }
            try (Connection c = pool.getConnection();
                    Statement st = c.createStatement()) {
                assertEquals(1_000, c.getNetworkTimeout());
                assertThrows(SQLException.class, () -> st.execute("SELECT pg_sleep(2)"));
            }
        }
        try (HikariDataSource pool = new HikariDataSource(PostgresStorage.poolConfig(schema.url(), "default", 1))) {
            try (Connection c = PostgresStorage.withoutNetworkTimeout(pool).getConnection()) {
                assertEquals(0, c.getNetworkTimeout());
            }
            try (Connection c = pool.getConnection()) {
                assertEquals(300_000, c.getNetworkTimeout(), "the default socketTimeout, restored by the pool");
            }
        }
    }

    private HikariDataSource pool(final String timeout) {
        return new HikariDataSource(PostgresStorage.poolConfig(proxy.url() + timeout, "partition-test", 1));
    }

    private static int selectOne(final Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Retries until the pool has replaced the connection the partition broke. */
    private static int selectOneFromPool(final HikariDataSource pool) throws InterruptedException {
        while (true) {
            try (Connection c = pool.getConnection()) {
                return selectOne(c);
            } catch (final SQLException notYet) {
                Thread.sleep(100);
            }
        }
    }

    /**
     * A TCP proxy on 127.0.0.1 to the PostgreSQL of a JDBC URL. While {@link #partition partitioned} it accepts and
     * keeps every socket open but holds the bytes either side sends until {@link #heal}, as a network that drops
     * packets does until TCP retransmits them. Threads are daemons; {@link #close} ends them.
     */
    private static final class Proxy implements AutoCloseable {
        private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/]+)(/.*)");

        private final ServerSocket server;
        private final String upstreamHost;
        private final int upstreamPort;
        private final String rest;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Object gate = new Object();
        private boolean partitioned; // guarded by gate

        private Proxy(final String upstreamHost, final int upstreamPort, final String rest) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.upstreamHost = upstreamHost;
            this.upstreamPort = upstreamPort;
            this.rest = rest;
            daemon(this::accept);
        }

        static Proxy to(final String jdbcUrl) throws IOException {
            final Matcher m = URL.matcher(jdbcUrl);
            if (!m.matches() || m.group(1).contains(",")) {
                throw new IllegalArgumentException("not a single-host JDBC URL: " + PostgresUrl.redact(jdbcUrl));
            }
            final String hostPort = m.group(1);
            final int colon = hostPort.lastIndexOf(':');
            final boolean hasPort = colon > hostPort.lastIndexOf(']');
            return new Proxy(
                    hasPort ? hostPort.substring(0, colon) : hostPort,
                    hasPort ? Integer.parseInt(hostPort.substring(colon + 1)) : 5432,
                    m.group(2));
        }

        /** The URL through the proxy, with the original's database and parameters (it has a {@code ?}). */
        String url() {
            return "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + rest;
        }

        void partition() {
            synchronized (gate) {
                partitioned = true;
            }
        }

        void heal() {
            synchronized (gate) {
                partitioned = false;
                gate.notifyAll();
            }
        }

        private void accept() {
            try {
                while (true) {
                    final Socket client = server.accept();
                    final Socket upstream = new Socket(upstreamHost, upstreamPort);
                    sockets.add(client);
                    sockets.add(upstream);
                    daemon(() -> pump(client, upstream));
                    daemon(() -> pump(upstream, client));
                }
            } catch (final IOException closed) {
                // close() ended the server socket
            }
        }

        /** Copies {@code from} to {@code to}, holding each chunk while partitioned; either end closing closes both. */
        private void pump(final Socket from, final Socket to) {
            final byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    synchronized (gate) {
                        while (partitioned) {
                            gate.wait();
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (final IOException | InterruptedException ended) {
                // one side closed; closing both below ends the opposite pump as well
            } finally {
                quietClose(from);
                quietClose(to);
            }
        }

        private static void daemon(final Runnable r) {
            final Thread t = new Thread(r, "partition-proxy");
            t.setDaemon(true);
            t.start();
        }

        private static void quietClose(final Socket s) {
            try {
                s.close();
            } catch (final IOException ignored) {
                // already closed
            }
        }

        @Override
        public void close() {
            heal();
            try {
                server.close();
            } catch (final IOException ignored) {
                // nothing left to release
            }
            sockets.forEach(Proxy::quietClose);
        }
    }
}
