package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite writer's transaction holds the database's write lock from its start, before it reads a chain head, and
 * taking it writes nothing: a commit of nothing leaves the log as it was. Its {@code COMMIT} syncs the log unless a
 * {@link LogSyncer} does.
 */
class WriterConnectionTest {
    @TempDir
    Path dir;

    @Test
    void shouldHoldTheWriteLockFromTheStartWithoutWritingAPage() throws Exception {
        final Path file = dir.resolve("continuum.db");
        final SQLiteDataSource source = migrated(file);
        final WriterConnection writer = new WriterConnection(source, SqlDialect.SQLITE, DatabaseFileGuard.NONE);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = other.createStatement()) {
            st.execute("PRAGMA busy_timeout = 0");
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            final long logBefore = Files.size(dir.resolve("continuum.db-wal"));

            writer.beginWrite();
            final SQLException refused = assertThrows(SQLException.class, () -> st.execute("BEGIN IMMEDIATE"));
            assertEquals(5, refused.getErrorCode(), "SQLITE_BUSY: " + refused.getMessage());
            writer.commit();

            st.execute("BEGIN IMMEDIATE"); // free again once the writer committed
            st.execute("ROLLBACK");
            assertEquals(logBefore, Files.size(dir.resolve("continuum.db-wal")), "taking the lock wrote nothing");
            try (ResultSet rows = st.executeQuery("SELECT COUNT(*) FROM writer_probe")) {
                rows.next();
                assertEquals(0, rows.getInt(1), "no probe row for an ordinary commit");
            }
        } finally {
            writer.discard();
        }
    }

    @Test
    void shouldLeaveTheSyncToTheLogSyncerOnlyWhenToldTo() throws Exception {
        final SQLiteDataSource source = migrated(dir.resolve("continuum.db"));
        source.setSynchronous("FULL");
        final WriterConnection plain = new WriterConnection(source, SqlDialect.SQLITE, DatabaseFileGuard.NONE);
        final WriterConnection synced = new WriterConnection(source, SqlDialect.SQLITE, DatabaseFileGuard.NONE);
        synced.syncsElsewhere();
        try {
            assertEquals(2, synchronous(plain), "FULL: the COMMIT syncs the log itself");
            assertEquals(1, synchronous(synced), "NORMAL: the COMMIT writes the log, LogSyncer syncs it");
        } finally {
            plain.discard();
            synced.discard();
        }
    }

    /** A data source of a new, migrated SQLite database in WAL mode at {@code file}. */
    private static SQLiteDataSource migrated(final Path file) {
        final SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        source.setJournalMode("WAL");
        Migrations.migrate(source, SqlDialect.SQLITE);
        return source;
    }

    private static int synchronous(final WriterConnection writer) throws SQLException {
        try (Statement st = writer.get().createStatement();
                ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
