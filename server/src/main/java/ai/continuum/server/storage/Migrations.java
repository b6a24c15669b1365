package ai.continuum.server.storage;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Brings a database to the current schema with Flyway, from {@code db/migration/<backend>}. */
final class Migrations {
    private static final System.Logger LOG = System.getLogger(Migrations.class.getName());

    private Migrations() {}

    static void migrate(final DataSource dataSource, final SqlDialect dialect) {
        final MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrations())
                .failOnMissingLocations(true)
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "storage: " + dialect.backend() + " schema migrated to version " + result.targetSchemaVersion + " ("
                            + result.migrationsExecuted + " migrations)");
        }
    }
}
