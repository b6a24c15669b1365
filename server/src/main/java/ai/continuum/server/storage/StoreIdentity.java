package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Names one database and the schema version it is at, from what the database itself records: the backend, for
 * PostgreSQL the database and schema, when the first migration ran there (so a dropped and recreated database of the
 * same name differs) and the latest migration applied. An engine snapshot carries this name and is loaded only into a
 * process on the same database at the same schema version.
 */
final class StoreIdentity {
    private StoreIdentity() {}

    static String of(final Connection c, final SqlDialect dialect) throws SQLException {
        final boolean sqlite = "sqlite".equals(dialect.backend());
        final StringBuilder id = new StringBuilder(dialect.backend());
        try (Statement st = c.createStatement()) {
            if (!sqlite) {
                try (ResultSet rs = st.executeQuery("SELECT current_database(), current_schema()")) {
                    rs.next();
                    id.append(" database=")
                            .append(rs.getString(1))
                            .append(" schema=")
                            .append(rs.getString(2));
                }
            }
            try (ResultSet rs =
                    st.executeQuery("SELECT installed_on, checksum FROM flyway_schema_history WHERE version = '1'")) {
                if (rs.next()) {
                    id.append(" created=")
                            .append(rs.getString(1))
                            .append(" v1=")
                            .append(rs.getString(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success "
                    + (sqlite ? "= 1" : "") + " ORDER BY installed_rank DESC LIMIT 1")) {
                if (rs.next()) {
                    id.append(" schema-version=").append(rs.getString(1));
                }
            }
        }
        return id.toString();
    }
}
