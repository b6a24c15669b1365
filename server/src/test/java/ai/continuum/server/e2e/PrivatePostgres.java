package ai.continuum.server.e2e;

import ai.continuum.server.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * A PostgreSQL cluster that one test owns and may stop and start: binaries from Maven Central (zonky), so it runs on a
 * machine without a system PostgreSQL; a fixed data directory that survives a stop; and a fixed loopback port, so
 * clients that were connected find the same address again after {@link #start}. Never the shared server other tests
 * use. Stopping is PostgreSQL's fast shutdown: open transactions are rolled back and clients disconnected.
 *
 * <p>Not thread-safe: the test's thread starts and stops it.
 */
final class PrivatePostgres implements AutoCloseable {
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
    private static final int PORT_ATTEMPTS = 3;

    private final Path dataDir;
    private final int port;
    private final Map<String, String> serverConfig;
    private EmbeddedPostgres running;

    private PrivatePostgres(final Path dataDir, final int port, final Map<String, String> serverConfig) {
        this.dataDir = dataDir;
        this.port = port;
        this.serverConfig = Map.copyOf(serverConfig);
    }

    /** Creates the cluster in {@code dataDir} (initdb) on a free loopback port and starts it. */
    static PrivatePostgres create(final Path dataDir) {
        return create(dataDir, Map.of());
    }

    /** As {@link #create(Path)}, with extra {@code postgresql.conf} settings (e.g. {@code ssl=on}). */
    static PrivatePostgres create(final Path dataDir, final Map<String, String> serverConfig) {
        for (int attempt = 1; ; attempt++) {
            final PrivatePostgres pg = new PrivatePostgres(dataDir, FreePorts.loopback(), serverConfig);
            try {
                pg.start();
                return pg;
            } catch (final UncheckedIOException e) {
                // Another process took the port between the draw and PostgreSQL's bind: draw again (the data
                // directory, initialised by the failed start, is reused). Any other failure leaves the port free.
                if (attempt == PORT_ATTEMPTS || !FreePorts.listening(pg.port)) {
                    throw e;
                }
            }
        }
    }

    int port() {
        return port;
    }

    Path dataDir() {
        return dataDir;
    }

    /** Starts the cluster on its data directory and port; initdb only the first time. */
    void start() {
        if (running != null) {
            throw new IllegalStateException("PostgreSQL on port " + port + " is already running");
        }
        try {
            final EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            serverConfig.forEach(builder::setServerConfig);
            running = builder.setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(STARTUP_WAIT)
                    // The production default (the embedded default is off): a commit is acknowledged once durable.
                    .setServerConfig("synchronous_commit", "on")
                    .setRegisterShutdownHook(true)
                    .start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + dataDir + " on port " + port, e);
        }
    }

    /** Fast shutdown; returns once the server is down. The data directory stays. */
    void stop() {
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (final IOException e) {
            throw new UncheckedIOException("PostgreSQL on port " + port + " did not stop", e);
        } finally {
            running = null;
        }
    }

    /** The JDBC URL of a database, with the given extra query parameters. */
    String url(final String database, final String extraParameters) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres"
                + (extraParameters.isEmpty() ? "" : "&" + extraParameters);
    }

    /** Creates a database for the service (the cluster must be running). */
    void createDatabase(final String name) {
        try (Connection c = DriverManager.getConnection(url("postgres", ""));
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
