package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite writer's page cache follows the memory the process may use, within its bounds. */
class SqliteWriterCacheTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldGiveTheWriterAThirtySecondOfTheLimitWithinItsBounds() {
        assertEquals(8 * 1024, SqliteStorage.writerCacheKib(256 * MIB), "the seed's smallest pod");
        assertEquals(12 * 1024, SqliteStorage.writerCacheKib(384 * MIB));
        assertEquals(16 * 1024, SqliteStorage.writerCacheKib(512 * MIB), "the size before it followed the limit");
        assertEquals(SqliteStorage.MIN_WRITER_CACHE_KIB, SqliteStorage.writerCacheKib(64 * MIB));
        assertEquals(SqliteStorage.MIN_WRITER_CACHE_KIB, SqliteStorage.writerCacheKib(0));
        assertEquals(SqliteStorage.MAX_WRITER_CACHE_KIB, SqliteStorage.writerCacheKib(24 * 1024 * MIB));
        assertEquals(SqliteStorage.MAX_WRITER_CACHE_KIB, SqliteStorage.writerCacheKib(Long.MAX_VALUE));
    }

    @Test
    void shouldOpenConnectionsWithTheGivenCache() throws SQLException {
        final int kib = SqliteStorage.writerCacheKib(256 * MIB);
        final var source =
                SqliteStorage.dataSource("jdbc:sqlite:" + dir.resolve("continuum.db"), StorageSettings.defaults(), kib);
        try (Connection c = source.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA cache_size")) {
            rs.next();
            assertEquals(-kib, rs.getInt(1), "negative: KiB, not pages");
        }
    }
}
