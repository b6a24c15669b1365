package ai.continuum.server.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens a federation SQLite database (the coordinator's, or a node's federated store) at its current schema, migrated
 * by Flyway from its own location ({@code db/federation/coordinator} or {@code db/federation/node}), apart from the
 * memory store's schema. Write-ahead log with full synchronous commits: an acknowledged write survives a kill.
 */
public final class FederationDatabase {
    private FederationDatabase() {}

    /** One connection to {@code file}, created with its directory when missing; the caller serialises its use. */
    public static Connection open(final Path file, final String flywayLocation) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + file, e);
        }
        final SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        final SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Flyway.configure()
                .dataSource(source)
                .locations("classpath:" + flywayLocation)
                .failOnMissingLocations(true)
                .load()
                .migrate();
        try {
            final Connection connection = source.getConnection();
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
            }
            return connection;
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }
}
