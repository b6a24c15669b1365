package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * This process's instance number among the processes writing one PostgreSQL database: the smallest free number in
 * {@code [0, }{@value #SLOTS}{@code )}, held as a session-level advisory lock on a dedicated connection for as long as
 * the process runs (PostgreSQL releases it when the session ends, also on {@code kill -9}). In-process allocated ids
 * (memory ids) carry it, so two live processes never allocate the same id. SQLite is single-process and uses
 * {@link #single()}.
 *
 * <p>Thread safety: {@link #number} from any thread; {@link #renew} from one (the follower), {@link #close} last.
 */
public final class InstanceLease implements AutoCloseable {
    /** Instance numbers available: processes on one database at the same time, at most. */
    public static final int SLOTS = 64;
    /** The advisory-lock class ("Cont"): the first key of {@code pg_try_advisory_lock(int, int)}. */
    private static final int LOCK_CLASS = 0x436f6e74;

    private static final System.Logger LOG = System.getLogger(InstanceLease.class.getName());

    private final String connectionString;
    private volatile int number;
    private Connection connection;

    private InstanceLease(final String connectionString, final int number, final Connection connection) {
        this.connectionString = connectionString;
        this.number = number;
        this.connection = connection;
    }

    /** The lease of a database only this process writes. */
    public static InstanceLease single() {
        return new InstanceLease(null, 0, null);
    }

    /** Takes the smallest free instance number of the database. */
    static InstanceLease acquire(final String connectionString) {
        try {
            final Connection c = PostgresStorage.connect(connectionString);
            named(c);
            final int n = take(c, 0);
            return new InstanceLease(connectionString, n, c);
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot take an instance number: " + Failures.describe(e), e);
        }
    }

    private static void named(final Connection c) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute("SET application_name = 'continuum-instance-lease'");
        }
    }

    /** Tries {@code preferred} first, then every other number; the connection holds the lock taken. */
    private static int take(final Connection c, final int preferred) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            for (int i = 0; i < SLOTS; i++) {
                final int n = (preferred + i) % SLOTS;
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, n);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return n;
                    }
                }
            }
        }
        try {
            c.close();
        } catch (final SQLException ignored) {
            // Closed because unusable for the lease; the failure below is what matters.
        }
        throw new IllegalStateException("all " + SLOTS + " instance numbers of this database are taken: at most "
                + SLOTS + " Continuum processes may write one PostgreSQL database at once");
    }

    /** This process's instance number, in {@code [0, }{@value #SLOTS}{@code )}. */
    public int number() {
        return number;
    }

    /**
     * Checks that the lease's session is alive and takes the lease again (preferring the same number) when it was
     * lost, e.g. to a database restart: another process may have taken the number meanwhile, and then this one moves
     * to a free number. A no-op for {@link #single()}.
     */
    public synchronized void renew() {
        if (connectionString == null) {
            return;
        }
        try {
            if (connection != null && connection.isValid(1)) {
                return;
            }
            if (connection != null) {
                connection.close();
            }
            connection = null;
            final Connection c = PostgresStorage.connect(connectionString);
            named(c);
            final int previous = number;
            number = take(c, previous);
            connection = c;
            if (number != previous) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "instance number " + previous + " was lost with its session and "
                                + "taken by another process; this process is now instance " + number);
            }
        } catch (final SQLException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "cannot renew the instance number " + number + " yet: " + Failures.describe(e));
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (final SQLException ignored) {
                // Ending the session releases the lock either way.
            }
            connection = null;
        }
    }
}
