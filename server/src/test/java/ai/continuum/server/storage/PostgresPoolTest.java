package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL pool's connections keep user text out of the driver's error messages: the pool logs the message of
 * an exception that broke a connection (a database restart in the middle of the writer's batch), and the driver
 * would otherwise quote every bound value of the failed batch there.
 */
class PostgresPoolTest {
    private static final String SECRET = "my card number is 4111 1111";

    private PostgresSchema schema;

    @BeforeEach
    void create() {
        schema = PostgresSchema.create();
    }

    @AfterEach
    void drop() throws SQLException {
        schema.close();
    }

    @Test
    void shouldKeepBoundValuesOutOfBatchErrorMessages() throws SQLException {
        try (Connection plain = DriverManager.getConnection(schema.url())) {
            assertTrue(failedBatchMessage(plain).contains(SECRET), "control: the driver's default quotes values");
        }
        try (HikariDataSource pool =
                        new HikariDataSource(PostgresStorage.poolConfig(schema.url(), StorageSettings.defaults()));
                Connection pooled = pool.getConnection()) {
            final String message = failedBatchMessage(pooled);
            assertFalse(message.contains(SECRET), message);
        }
    }

    /** The message of a batch whose second row breaks the primary key. */
    private static String failedBatchMessage(final Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS pool_probe (id INT PRIMARY KEY, text TEXT NOT NULL)");
            st.execute("TRUNCATE pool_probe");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO pool_probe (id, text) VALUES (?, ?)")) {
            for (int i = 0; i < 2; i++) {
                ps.setInt(1, 1);
                ps.setString(2, SECRET);
                ps.addBatch();
            }
            final BatchUpdateException e = assertThrows(BatchUpdateException.class, ps::executeBatch);
            final StringBuilder messages = new StringBuilder(String.valueOf(e.getMessage()));
            for (SQLException next = e.getNextException(); next != null; next = next.getNextException()) {
                messages.append('\n').append(next.getMessage());
            }
            return messages.toString();
        }
    }
}
