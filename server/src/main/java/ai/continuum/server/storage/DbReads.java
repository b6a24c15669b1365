package ai.continuum.server.storage;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbColumn;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Helidon DbClient over one of our own pools, and reading its rows.
 *
 * <p>The client borrows a connection from {@code pool} for each statement and returns it when the statement's rows
 * are consumed (a query's {@code Stream} closed, a get answered). The pool stays ours: closing the client does not
 * close it, because {@code helidon-dbclient-hikari} 4.5 is not published and the pool is built here, not by Helidon.
 *
 * <p>Columns are read through {@link Number} and converted: DbClient hands back the driver's {@code getObject}, which
 * is an {@link Integer} for a small SQLite INTEGER and a {@link Long} for a PostgreSQL BIGINT, and asking its mapper
 * for a {@code long} throws on the former.
 *
 * <p>Thread safety: a DbClient may be shared by any threads; the static readers keep no state.
 */
final class DbReads {
    private DbReads() {}

    /** A client whose every statement borrows a connection from {@code pool}. */
    static DbClient over(final DataSource pool) {
        return JdbcClientBuilder.create()
                .connectionPool(() -> {
                    try {
                        return pool.getConnection();
                    } catch (final SQLException e) {
                        throw new DbClientException("no pooled connection: " + e.getMessage(), e);
                    }
                })
                .build();
    }

    /** A text column, null when SQL NULL. */
    static String text(final DbRow row, final String column) {
        return row.column(column).get(String.class);
    }

    /** An integer column that is never SQL NULL. */
    static long integer(final DbRow row, final String column) {
        return integer(row.column(column));
    }

    /** The integer column at {@code index} (from 1, as in JDBC) that is never SQL NULL. */
    static long integer(final DbRow row, final int index) {
        return integer(row.column(index));
    }

    /** An integer column, null when SQL NULL. */
    static Long nullableInteger(final DbRow row, final String column) {
        final Number value = row.column(column).get(Number.class);
        return value == null ? null : value.longValue();
    }

    private static long integer(final DbColumn column) {
        final Number value = column.get(Number.class);
        if (value == null) {
            throw new IllegalStateException("column " + column.name() + " is NULL");
        }
        return value.longValue();
    }

    /**
     * The storage failure for a statement DbClient could not run, worded like the JDBC paths' failures: the message
     * of the innermost {@link SQLException} (the driver's or the pool's), not DbClient's wrapper with the statement.
     */
    static StorageUnavailableException failure(final String what, final DbClientException e) {
        Throwable reason = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                reason = t;
            }
        }
        return new StorageUnavailableException(what + ": " + reason.getMessage(), e);
    }
}
