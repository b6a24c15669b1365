package ai.continuum.server.storage;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The connections of a pool with the driver's network timeout ({@code socketTimeout}, {@link PostgresUrl}) lifted, for
 * work whose single statements may rightly send nothing for longer: a migration's {@code CREATE INDEX} on a big
 * table, or its schema change waiting for the lock of a table the other replicas use. The pool puts each connection's
 * network timeout back when it returns (HikariCP resets a changed one), so the rest of the service keeps the bound.
 *
 * <p>Thread-safe as the wrapped pool is.
 */
final class WithoutNetworkTimeout implements DataSource {
    /** No timeout is set, so the driver never needs the executor that would abort a timed-out connection. */
    private static final Executor UNUSED = Runnable::run;

    private final DataSource pool;

    WithoutNetworkTimeout(final DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return untimed(pool.getConnection());
    }

    @Override
    public Connection getConnection(final String user, final String password) throws SQLException {
        return untimed(pool.getConnection(user, password));
    }

    /** Lifts the network timeout on {@code c}, a pooled connection the pool restores when it returns. */
    static void lift(final Connection c) throws SQLException {
        c.setNetworkTimeout(UNUSED, 0);
    }

    private static Connection untimed(final Connection c) throws SQLException {
        try {
            lift(c);
            return c;
        } catch (final SQLException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(final PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(final int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(final Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(final Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
