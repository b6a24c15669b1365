package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database to the current schema with Flyway, from {@code db/migration/<backend>}.
 *
 * <p>A database already at {@link #currentVersion} (every recorded migration successful, the latest that one) is
 * left to itself without starting Flyway: Flyway's classpath scan and validation cost a one-shot CLI command most of
 * a second, to find nothing to do. Anything else (a new, older, newer or damaged history) goes to Flyway, which
 * migrates it or refuses it as before. The fast path therefore does not re-check the checksums of applied
 * migrations; migrations are never edited once released.
 */
final class Migrations {
    /**
     * The version of the newest migration under {@code db/migration/<backend>}. Raise it with every new migration: a
     * database at an older version would otherwise be taken as current ({@code MigrationsTest} fails when it lags
     * behind the files). SQLite's 11 changes only how SQLite stores the change log; PostgreSQL has no such version.
     */
    static String currentVersion(final SqlDialect dialect) {
        return switch (dialect) {
            case SQLITE -> "11";
            case POSTGRESQL -> "10";
        };
    }

    private static final System.Logger LOG = System.getLogger(Migrations.class.getName());

    /** What {@link #migrate} did. */
    enum Outcome {
        /** The recorded schema was current: Flyway did not run. */
        ALREADY_CURRENT,
        /** Flyway ran (and applied the pending migrations, if any). */
        FLYWAY
    }

    private Migrations() {}

    static Outcome migrate(final DataSource dataSource, final SqlDialect dialect) {
        if (isCurrent(dataSource, dialect)) {
            return Outcome.ALREADY_CURRENT;
        }
        final MigrateResult result;
        try {
            result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(dialect.migrations())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (final FlywayException e) {
            // One line for the operator (a full disk, a schema newer than this build, a damaged history) instead of
            // Flyway's stack; each migration runs in its own transaction, so a failed one leaves nothing behind.
            throw new StorageUnavailableException(
                    "cannot bring the " + dialect.backend() + " schema to version " + currentVersion(dialect) + ": "
                            + reason(e) + " (a migration that fails is rolled back: the store keeps the version"
                            + " it had)",
                    e);
        }
        if (result.migrationsExecuted > 0) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "storage: " + dialect.backend() + " schema migrated to version " + result.targetSchemaVersion + " ("
                            + result.migrationsExecuted + " migrations)");
        }
        return Outcome.FLYWAY;
    }

    /**
     * The database's own words where Flyway wraps them in a report ({@link Failures#describe}, as for any storage
     * failure), else Flyway's message (a validation failure) on one line.
     */
    private static String reason(final FlywayException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return Failures.describe(sql);
            }
        }
        return String.join("; ", String.valueOf(e.getMessage()).strip().lines().toList());
    }

    /**
     * Whether Flyway's history in {@code dataSource} records only successful migrations, the latest being
     * {@link #currentVersion} of {@code dialect}. False when there is no history yet or it cannot be read: Flyway then
     * decides.
     */
    static boolean isCurrent(final DataSource dataSource, final SqlDialect dialect) {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")) {
            String latest = null;
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false;
                }
                if (rs.getString(1) != null) {
                    latest = rs.getString(1);
                }
            }
            return currentVersion(dialect).equals(latest);
        } catch (final SQLException e) {
            return false; // no history table (a new database) or unreadable: Flyway reports what is wrong
        }
    }
}
