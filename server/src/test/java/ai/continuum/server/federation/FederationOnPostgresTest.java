package ai.continuum.server.federation;

import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.continuum.server.storage.PostgresSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;

/** {@link FederationTest}'s scenarios with the coordinator's database on PostgreSQL. */
class FederationOnPostgresTest extends FederationTest {
    private PostgresSchema schema;

    @Override
    String coordinatorDatabase() {
        schema = PostgresSchema.create();
        return schema.url();
    }

    /** Every row of every coordinator table, as text (byte columns in hex): no name, in either form. */
    @Override
    void assertCoordinatorHoldsNone(final List<String> names) throws SQLException {
        final StringBuilder rows = new StringBuilder();
        try (Connection c = DriverManager.getConnection(schema.url());
                Statement s = c.createStatement()) {
            for (final String table : List.of("enrolments", "nodes", "contributions", "nonces")) {
                try (ResultSet r = s.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (r.next()) {
                        rows.append(r.getString(1)).append('\n');
                    }
                }
            }
        }
        final String stored = rows.toString().toLowerCase(Locale.ROOT);
        assertFalse(stored.isBlank(), "the coordinator stored its rows in PostgreSQL");
        for (final String name : names) {
            for (final String word : name.toLowerCase(Locale.ROOT).split(" ", -1)) {
                assertFalse(stored.contains(word), word + " is in the coordinator's database");
                assertFalse(
                        stored.contains(HexFormat.of().formatHex(word.getBytes(StandardCharsets.UTF_8))),
                        word + " is in the coordinator's database as bytes");
            }
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            schema.close();
        }
    }
}
