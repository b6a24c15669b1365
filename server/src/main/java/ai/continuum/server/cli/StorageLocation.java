package ai.continuum.server.cli;

import ai.continuum.server.storage.PostgresStorage;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A storage named on the command line: {@code sqlite:PATH} (PATH as {@link Storages#sqliteFile} reads it: a data
 * directory, or the database file itself), {@code postgresql://USER:PASSWORD@HOST:PORT/DB} ({@code postgres://}
 * too) or {@code jdbc:postgresql://HOST:PORT/DB?user=..&password=..}. Messages never show a password.
 *
 * @param option           the flag it came from, for messages.
 * @param sqliteFile       the SQLite database file, or null for PostgreSQL.
 * @param connectionString the PostgreSQL connection string, or null for SQLite.
 */
record StorageLocation(String option, Path sqliteFile, String connectionString) {
    private static final String SQLITE_PREFIX = "sqlite:";
    private static final String FORMS = "expected sqlite:PATH (a data directory or a .db file), "
            + "postgresql://USER:PASSWORD@HOST:PORT/DB or jdbc:postgresql://HOST:PORT/DB?user=USER&password=PASSWORD";

    static StorageLocation parse(final String option, final String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " is empty; " + FORMS);
        }
        if (value.startsWith(SQLITE_PREFIX)) {
            final String path = value.substring(SQLITE_PREFIX.length());
            if (path.isBlank()) {
                throw new IllegalArgumentException(option + " '" + value + "' names no path; " + FORMS);
            }
            try {
                return new StorageLocation(
                        option,
                        Storages.sqliteFile(Path.of(path)).toAbsolutePath().normalize(),
                        null);
            } catch (final InvalidPathException e) {
                throw new IllegalArgumentException(option + " '" + value + "' is not a valid path: " + e.getReason());
            }
        }
        if (value.startsWith("jdbc:postgresql://")) {
            return new StorageLocation(option, null, value);
        }
        if (value.startsWith("postgresql://") || value.startsWith("postgres://")) {
            try {
                final URI uri = new URI(value);
                if (uri.getHost() == null
                        || uri.getRawPath() == null
                        || uri.getRawPath().length() <= 1) {
                    throw new IllegalArgumentException(
                            option + " '" + Storages.redact(value) + "' needs a host and a database; " + FORMS);
                }
            } catch (final URISyntaxException e) {
                throw new IllegalArgumentException(option + " '" + Storages.redact(value) + "' is not a valid URL ("
                        + e.getReason() + "; percent-encode special characters in the password); " + FORMS);
            }
            return new StorageLocation(option, null, value);
        }
        throw new IllegalArgumentException(
                option + " '" + Storages.redact(value) + "' is not a storage location; " + FORMS);
    }

    /**
     * Opens the storage, creating a SQLite file or the schema if needed unless {@code mustExist}: a source that does
     * not exist is a typing error, not an empty store to copy.
     *
     * @throws IllegalArgumentException when {@code mustExist} and there is no SQLite database there.
     * @throws IllegalStateException    when the database cannot be opened (the message says why, without password).
     */
    Storage open(final StorageSettings settings, final boolean mustExist) {
        if (sqliteFile != null && mustExist && !Files.isRegularFile(sqliteFile)) {
            throw new IllegalArgumentException(option + ": there is no database at " + sqliteFile);
        }
        try {
            return sqliteFile != null
                    ? SqliteStorage.openFile(sqliteFile, settings)
                    : PostgresStorage.open(connectionString, settings);
        } catch (final RuntimeException e) {
            throw new IllegalStateException("cannot open " + option + " " + describe() + ": " + rootMessage(e), e);
        }
    }

    /** Where it is, without password. */
    String describe() {
        return sqliteFile != null ? SQLITE_PREFIX + sqliteFile : Storages.redact(connectionString);
    }

    /** Whether both name the same database, as far as their text tells. */
    boolean sameAs(final StorageLocation other) {
        return sqliteFile != null
                ? sqliteFile.equals(other.sqliteFile)
                : connectionString.equals(other.connectionString);
    }

    /** The failure's message, and its root cause's when that adds something (the driver's own words). */
    private static String rootMessage(final Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        final String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        final String deepest = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return top.contains(deepest) ? top : top + " (" + deepest + ")";
    }
}
