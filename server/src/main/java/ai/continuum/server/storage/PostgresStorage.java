package ai.continuum.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Opens the PostgreSQL storage. One HikariCP pool serves the reads and, through one connection it keeps, the writer.
 * Every commit is durable when acknowledged (PostgreSQL's default {@code synchronous_commit=on}).
 *
 * <p>Several processes may write one database: each transaction locks the rows of the tenants it writes (the
 * {@code tenants} upsert) before it reads their chain heads, so writers of one tenant take turns and the chain stays
 * linear. Other processes' changes reach this process's engine only through a rebuild; tailing {@code change_log}
 * to apply them live is the multi-pod step that builds on this.
 */
public final class PostgresStorage {
    private PostgresStorage() {
    }

    /**
     * @param connectionString {@code jdbc:postgresql://host:port/db?user=..&password=..} or the
     *                         {@code postgresql://user:password@host:port/db} form of {@code DATABASE_URL}.
     */
    public static Storage open(final String connectionString, final StorageSettings settings) {
        return create(connectionString, settings, SystemEpochClock.INSTANCE).start();
    }

    static SqlStorage create(final String connectionString, final StorageSettings settings, final EpochClock clock) {
        final HikariDataSource ds = new HikariDataSource(poolConfig(connectionString, settings));
        try {
            Migrations.migrate(ds, SqlDialect.POSTGRESQL);
        } catch (final RuntimeException e) {
            ds.close();
            throw e;
        }
        return new SqlStorage(SqlDialect.POSTGRESQL, ds, ds, settings, clock, DatabaseFileGuard.NONE);
    }

    /**
     * The pool: the read connections plus the one the writer keeps. {@code logServerErrorDetail=false} keeps bound
     * values out of the driver's exception messages (a failed batch otherwise quotes every parameter, user text
     * included, and the pool logs that message when a connection breaks mid-batch, as in a database restart); the
     * connection string may still turn it on.
     */
    static HikariConfig poolConfig(final String connectionString, final StorageSettings settings) {
        final HikariConfig pool = new HikariConfig();
        pool.setPoolName("continuum-postgresql");
        configureUrl(pool, connectionString);
        pool.addDataSourceProperty("logServerErrorDetail", "false");
        pool.setMaximumPoolSize(settings.readPoolSize() + 1);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(2_000);
        pool.setValidationTimeout(1_000);
        return pool;
    }

    static void configureUrl(final HikariConfig pool, final String connectionString) {
        if (connectionString == null || connectionString.isBlank()) {
            throw new IllegalArgumentException("a PostgreSQL connection string is required");
        }
        if (connectionString.startsWith("jdbc:postgresql:")) {
            pool.setJdbcUrl(connectionString);
            return;
        }
        if (!connectionString.startsWith("postgres://") && !connectionString.startsWith("postgresql://")) {
            throw new IllegalArgumentException("not a PostgreSQL connection string (expected jdbc:postgresql:// or "
                + "postgresql://): " + redact(connectionString));
        }
        final URI uri = URI.create(connectionString);
        final int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        final String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        pool.setJdbcUrl("jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query);
        final String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            final int colon = userInfo.indexOf(':');
            pool.setUsername(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                pool.setPassword(decode(userInfo.substring(colon + 1)));
            }
        }
    }

    private static String decode(final String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The connection string without its password, for error messages. */
    static String redact(final String connectionString) {
        return connectionString.replaceAll("://([^:/@]+):[^@]*@", "://$1:***@")
            .replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
