package ai.continuum.server.storage;

import java.sql.SQLException;
import java.util.Set;
import org.sqlite.SQLiteException;

/**
 * The few places where the SQL of the two backends differs; the memories text filter ({@link MemoryFilter}: substring
 * on SQLite, full-text word prefix on PostgreSQL) is the other. Everything else (upserts with {@code ON CONFLICT ...
 * DO UPDATE}, {@code LIKE ... ESCAPE}, keyset queries) is written once in standard SQL both accept.
 */
enum SqlDialect {
    SQLITE("sqlite", "max"),
    POSTGRESQL("postgresql", "GREATEST");

    /** SQLite primary result codes of rejected data: TOOBIG (18), CONSTRAINT (19), MISMATCH (20). */
    private static final Set<Integer> SQLITE_DATA_ERRORS = Set.of(18, 19, 20);

    private final String backend;
    private final String greatest;

    SqlDialect(final String backend, final String greatest) {
        this.backend = backend;
        this.greatest = greatest;
    }

    String backend() {
        return backend;
    }

    /** Flyway location of this backend's migrations. */
    String migrations() {
        return "classpath:db/migration/" + backend;
    }

    /**
     * Whether {@code e} rejects the data of a statement rather than reports a failing database: retrying the same
     * ops cannot succeed, and other ops may. Exceptions other than {@link SQLException} come from the ops themselves
     * (e.g. a count overflowing when deltas merge).
     */
    boolean isDataError(final Exception e) {
        if (!(e instanceof SQLException sql)) {
            return true;
        }
        return switch (this) {
            case SQLITE ->
                sql instanceof SQLiteException lite && SQLITE_DATA_ERRORS.contains(lite.getResultCode().code & 0xff);
            case POSTGRESQL ->
                sql.getSQLState() != null
                        && (sql.getSQLState().startsWith("22")
                                || sql.getSQLState().startsWith("23"));
        };
    }

    /**
     * Whether a failed COMMIT certainly did not commit, beside {@link #isDataError}: SQLite's {@code SQLITE_FULL}
     * (13, disk or database full). SQLite is a library writing a local file, not a server whose answer can be lost:
     * a full disk stops it while it writes the transaction's pages, before the commit record, so nothing landed. (An
     * I/O error during the final sync is different: the commit record may be on disk, so that stays in doubt.)
     */
    boolean isCertainlyNotCommitted(final Exception e) {
        return this == SQLITE && e instanceof SQLiteException lite && (lite.getResultCode().code & 0xff) == 13;
    }

    /** The larger of two expressions (SQLite's scalar {@code max}, PostgreSQL's {@code GREATEST}). */
    String greatest(final String a, final String b) {
        return greatest + "(" + a + ", " + b + ")";
    }
}
