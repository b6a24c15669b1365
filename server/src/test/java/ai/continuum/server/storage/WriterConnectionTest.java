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
 * taking it writes nothing: a commit of nothing leaves the log as it was.
 */
class WriterConnectionTest {
    @TempDir
    Path dir;

    @Test
    void shouldHoldTheWriteLockFromTheStartWithoutWritingAPage() throws Exception {
        final Path file = dir.resolve("continuum.db");
        final SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        source.setJournalMode("WAL");
        Migrations.migrate(source, SqlDialect.SQLITE);
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
}
