package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;

/** Reads through Helidon DbClient on each backend: integer mapping, connections returned, failures worded. */
class DbReadsTest {
    private TestDatabase db;
    private HikariDataSource pool;
    private DbClient client;

    private void open(final TestDatabase database) throws SQLException {
        db = database;
        final HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        // One connection: a statement that kept its connection would make the next one time out.
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(250);
        pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            // BIGINT: a 64-bit integer on PostgreSQL, the INTEGER affinity on SQLite.
            s.executeUpdate("CREATE TABLE t (id INTEGER NOT NULL, big BIGINT, label TEXT)");
            s.executeUpdate("INSERT INTO t VALUES (1, NULL, 'one'), (2, 5000000000, NULL)");
        }
        client = DbReads.over(pool);
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
            pool.close();
        }
    }

    @OnEachBackend
    void shouldReadSmallAndLargeIntegersAndNullsWhenMappingRows(final TestDatabase database) throws SQLException {
        open(database);
        final List<String> rows;
        try (Stream<DbRow> s = client.execute().query("SELECT id, big, label FROM t ORDER BY id")) {
            rows = s.map(r -> DbReads.integer(r, "id") + "|" + DbReads.nullableInteger(r, "big") + "|"
                            + DbReads.text(r, "label"))
                    .toList();
        }
        assertEquals(List.of("1|null|one", "2|5000000000|null"), rows);
        assertEquals(
                2L,
                client.execute()
                        .createGet("SELECT COUNT(*) FROM t WHERE id >= ?")
                        .params(List.of(1))
                        .execute()
                        .map(r -> DbReads.integer(r, 1))
                        .orElseThrow());
        assertNull(DbReads.nullableInteger(
                client.execute().get("SELECT big FROM t WHERE id = ?", 1L).orElseThrow(), "big"));
    }

    @OnEachBackend
    void shouldReturnEveryConnectionToThePoolWhenRowsAreConsumed(final TestDatabase database) throws SQLException {
        open(database);
        for (int i = 0; i < 20; i++) {
            try (Stream<DbRow> s = client.execute().query("SELECT id FROM t WHERE id > ?", 0)) {
                assertEquals(2, s.count());
            }
            assertTrue(client.execute().get("SELECT id FROM t WHERE id = ?", 3).isEmpty());
        }
    }

    @OnEachBackend
    void shouldReportTheDriversMessageWhenAStatementFails(final TestDatabase database) throws SQLException {
        open(database);
        final DbClientException e = assertThrows(
                DbClientException.class, () -> client.execute().get("SELECT id FROM missing WHERE id = ?", 1));
        final StorageUnavailableException failure = DbReads.failure("cannot read", e);
        final String driverSays = db.postgres() ? "does not exist" : "no such table";
        assertTrue(
                failure.getMessage().startsWith("cannot read: ")
                        && failure.getMessage().contains(driverSays),
                failure.getMessage());
    }
}
