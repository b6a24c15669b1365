package ai.continuum.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * Opens the PostgreSQL storage. One HikariCP pool serves the reads and, through one connection it keeps, the writer.
 * Every commit is durable when acknowledged (PostgreSQL's default {@code synchronous_commit=on}).
 *
 * <p>Several processes may write one database: each transaction locks the rows of the tenants it writes (the
 * {@code tenants} upsert) before it reads their chain heads or deletes anything of theirs, so writers of one tenant
 * take turns, the chain stays linear, and a delete sees every write the chain orders before it. Each commit announces
 * the tenants' new chain positions ({@link PostgresChangeSignals}), and every process follows the others' ops from
 * {@code change_log} into its own engine (the server's change follower).
 */
public final class PostgresStorage {
    private PostgresStorage() {}

    /**
     * Opens PostgreSQL storage and starts its writer.
     *
     * @param connectionString {@code jdbc:postgresql://host:port/db?user=..&password=..} or the
     *                         {@code postgresql://user:password@host:port/db} form of {@code DATABASE_URL}
     *                         ({@link PostgresUrl}).
     * @throws IllegalArgumentException when {@code connectionString} is neither (the message hides the password).
     */
    public static Storage open(final String connectionString, final StorageSettings settings) {
        return create(connectionString, settings, SystemEpochClock.INSTANCE).start();
    }

    static SqlStorage create(final String connectionString, final StorageSettings settings, final EpochClock clock) {
        final HikariDataSource ds = new HikariDataSource(poolConfig(connectionString, settings));
        try {
            Migrations.migrate(withoutNetworkTimeout(ds), SqlDialect.POSTGRESQL);
        } catch (final RuntimeException e) {
            ds.close();
            throw e;
        }
        try {
            return new SqlStorage(
                    SqlDialect.POSTGRESQL, ds, ds, settings, clock, DatabaseFileGuard.NONE, connectionString);
        } catch (final RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * The pool: the read connections plus the one the writer keeps. {@code logServerErrorDetail=false} keeps bound
     * values out of the driver's exception messages (a failed batch otherwise quotes every parameter, user text
     * included, and the pool logs that message when a connection breaks mid-batch, as in a database restart); the
     * connection string may still turn it on.
     */
    static HikariConfig poolConfig(final String connectionString, final StorageSettings settings) {
        return poolConfig(connectionString, "continuum-postgresql", settings.readPoolSize() + 1);
    }

    /**
     * A pool of at most {@code size} connections to {@code connectionString} (either form {@link #open} takes), with
     * the driver settings above; also the federation coordinator's. The password never appears in a message.
     */
    public static HikariConfig poolConfig(final String connectionString, final String poolName, final int size) {
        final PostgresUrl url = PostgresUrl.parse(connectionString);
        final HikariConfig pool = new HikariConfig();
        pool.setPoolName(poolName);
        pool.setJdbcUrl(url.jdbcUrl());
        pool.addDataSourceProperty("logServerErrorDetail", "false");
        url.properties().forEach((k, v) -> pool.addDataSourceProperty((String) k, v));
        pool.setMaximumPoolSize(size);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(2_000);
        pool.setValidationTimeout(1_000);
        return pool;
    }

    /**
     * {@code pool} (one of {@link #poolConfig}) handing out its connections without the driver's network timeout
     * while they are borrowed, for Flyway: a migration's statement may send nothing for longer than the timeout (a
     * {@code CREATE INDEX} on a big table, a schema change waiting for a table the other replicas use), and a cut
     * migration would keep the service from starting at all.
     */
    public static DataSource withoutNetworkTimeout(final DataSource pool) {
        return new WithoutNetworkTimeout(pool);
    }

    /** The connection string without its password, for messages. */
    public static String redact(final String connectionString) {
        return PostgresUrl.redact(connectionString);
    }

    /**
     * A plain JDBC connection to the database {@code connectionString} names (either form {@link #open} takes), for
     * tools that inspect it without opening the storage ({@code continuum doctor}).
     *
     * @throws SQLException when the string is not a PostgreSQL connection string (the message hides the password) or
     *                      the database does not answer.
     */
    public static Connection connect(final String connectionString) throws SQLException {
        final PostgresUrl url;
        try {
            url = PostgresUrl.parse(connectionString);
        } catch (final IllegalArgumentException e) {
            throw new SQLException(e.getMessage(), e);
        }
        return DriverManager.getConnection(url.jdbcUrl(), url.properties());
    }
}
