package ai.continuum.server.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The coordinator's SQLite database at its current schema, migrated by Flyway from its own location
 * ({@code db/federation/coordinator}), apart from the memory store's schema. (A node's federation state is in the main
 * database: {@code node.FederatedStore}.) Write-ahead log with full synchronous commits: an acknowledged write survives a kill.
 * Thread-safe: one connection, used under a lock ({@link #locked}, {@link #transaction}).
 */
public final class FederationDatabase implements AutoCloseable {
    private final Connection connection;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();

    /** Opens {@code file}, created with its directory when missing; {@code name} prefixes its error messages. */
    public FederationDatabase(final Path file, final String flywayLocation, final String name) {
        this.connection = open(file, flywayLocation);
        this.name = name;
    }

    /** Work on {@link #connection()}. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** The connection, for statements inside {@link #locked} or {@link #transaction} only. */
    public Connection connection() {
        return connection;
    }

    /** Runs {@code work} under the lock; an SQLException becomes an IllegalStateException naming the database. */
    public <T> T locked(final Work<T> work) {
        lock.lock();
        try {
            return work.run();
        } catch (final SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} in one transaction under the lock; a failure rolls it back whole. */
    public <T> T transaction(final Work<T> work) {
        return locked(() -> {
            connection.setAutoCommit(false);
            try {
                final T result = work.run();
                connection.commit();
                return result;
            } catch (final SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    private static Connection open(final Path file, final String flywayLocation) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + file, e);
        }
        final SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        final SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Flyway.configure()
                .dataSource(source)
                .locations("classpath:" + flywayLocation)
                .failOnMissingLocations(true)
                .load()
                .migrate();
        try {
            final Connection connection = source.getConnection();
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
            }
            return connection;
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        locked(() -> {
            connection.close();
            return null;
        });
    }
}
