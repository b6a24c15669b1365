package ai.continuum.server.federation;

import ai.continuum.server.storage.PostgresStorage;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
 * The coordinator's database at its current schema, migrated by Flyway from its own location, apart from the memory
 * store's schema: SQLite in a file of its data directory ({@code db/federation/coordinator}), or PostgreSQL
 * ({@code db/federation/coordinator-postgresql}). (A node's federation state is in the main database:
 * {@code node.FederatedStore}.) SQLite runs with a write-ahead log and full synchronous commits, PostgreSQL with its
 * own durable commits: an acknowledged write survives a kill.
 *
 * <p>Thread-safe: work runs under one lock on one pooled connection at a time ({@link #locked},
 * {@link #transaction}); the pool replaces a connection that broke (a PostgreSQL restart), so the coordinator recovers
 * without a restart of its own. On PostgreSQL every transaction also takes a transaction-scoped advisory lock first, so two coordinator processes on
 * one database still apply their transactions one at a time, as the in-process lock does for one process.
 *
 * <p>On PostgreSQL the migration runs without the driver's network timeout, as the memory store's does
 * ({@link PostgresStorage#withoutNetworkTimeout}). The work keeps it: a transaction waits at the advisory lock only
 * for another coordinator's transaction (Flyway's own lock is another key, polled), which is short unless that
 * coordinator lost its connection while holding the lock; then the wait fails after the timeout, as any
 * statement on a lost connection does, instead of hanging the coordinator until the server notices.
 */
public final class FederationDatabase implements AutoCloseable {
    /** The advisory lock key that serialises coordinator transactions on PostgreSQL ("cfed" in ASCII). */
    private static final long ADVISORY_LOCK_KEY = 0x63666564L;

    private final HikariDataSource pool;
    private final boolean postgres;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    /** The connection of the work running under {@link #lock}; null outside it. Guarded by {@link #lock}. */
    private Connection current;

    private FederationDatabase(final HikariDataSource pool, final boolean postgres, final String name) {
        this.pool = pool;
        this.postgres = postgres;
        this.name = name;
    }

    /** SQLite in {@code file}, created with its directory when missing; {@code name} prefixes its error messages. */
    public static FederationDatabase sqlite(final Path file, final String flywayLocation, final String name) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + file, e);
        }
        final SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        final SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        final HikariConfig pool = new HikariConfig();
        pool.setPoolName(name);
        pool.setDataSource(source);
        return open(pool, flywayLocation, false, name);
    }

    /**
     * PostgreSQL at {@code connectionString} (either form the memory store takes; the password never appears in a
     * message), migrated from {@code flywayLocation}.
     */
    public static FederationDatabase postgres(
            final String connectionString, final String flywayLocation, final String name) {
        return open(PostgresStorage.poolConfig(connectionString, name, 2), flywayLocation, true, name);
    }

    private static FederationDatabase open(
            final HikariConfig config, final String flywayLocation, final boolean postgres, final String name) {
        // Two: Flyway holds a second connection while it migrates; afterwards the lock lets one work at a time.
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        final HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(postgres ? PostgresStorage.withoutNetworkTimeout(pool) : pool)
                    .locations("classpath:" + flywayLocation)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            return new FederationDatabase(pool, postgres, name);
        } catch (final RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Work on {@link #connection()}. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** The connection of the running work, for statements inside {@link #locked} or {@link #transaction} only. */
    public Connection connection() {
        if (!lock.isHeldByCurrentThread() || current == null) {
            throw new IllegalStateException(name + ": the connection is used outside locked work");
        }
        return current;
    }

    /** Runs {@code work} under the lock; an SQLException becomes an IllegalStateException naming the database. */
    public <T> T locked(final Work<T> work) {
        lock.lock();
        try (Connection connection = pool.getConnection()) {
            current = connection;
            return work.run();
        } catch (final SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        } finally {
            current = null;
            lock.unlock();
        }
    }

    /** Runs {@code work} in one transaction under the lock; a failure rolls it back whole. */
    public <T> T transaction(final Work<T> work) {
        return locked(() -> {
            current.setAutoCommit(false);
            try {
                if (postgres) {
                    try (Statement s = current.createStatement()) {
                        s.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")");
                    }
                }
                final T result = work.run();
                current.commit();
                return result;
            } catch (final SQLException | RuntimeException e) {
                current.rollback();
                throw e;
            } finally {
                current.setAutoCommit(true);
            }
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            pool.close();
        } finally {
            lock.unlock();
        }
    }
}
