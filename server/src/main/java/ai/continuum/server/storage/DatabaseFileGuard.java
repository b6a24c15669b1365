package ai.continuum.server.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Confirms that the file a commit went to is still the database file: same path, same file identity (device and
 * inode), as when storage opened it.
 *
 * <p>Why: SQLite keeps writing into a database file that was deleted or replaced under it, through the handles it
 * holds, and those commits vanish with the file. The writer checks this guard after each commit and before it
 * acknowledges anything, so such writes fail (503, nothing applied to the engine) instead of being acknowledged and
 * lost.
 *
 * <p>Thread-safe: immutable.
 */
final class DatabaseFileGuard {
    /** The guard of a server database (PostgreSQL): nothing to check. */
    static final DatabaseFileGuard NONE = new DatabaseFileGuard(null, null);

    private final Path file;
    private final Object fileKey;

    private DatabaseFileGuard(final Path file, final Object fileKey) {
        this.file = file;
        this.fileKey = fileKey;
    }

    /** The guard of {@code file} as it is now; the file must exist. */
    static DatabaseFileGuard of(final Path file) {
        try {
            return new DatabaseFileGuard(
                    file, Files.readAttributes(file, BasicFileAttributes.class).fileKey());
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException("cannot read the attributes of the database file " + file, e);
        }
    }

    /** The database file guarded; null for a server database. */
    Path file() {
        return file;
    }

    /** @throws SQLException when the database file is gone or is no longer the file storage opened. */
    void check() throws SQLException {
        if (file == null) {
            return;
        }
        final Object now;
        try {
            now = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (final NoSuchFileException e) {
            throw new SQLException("the database file " + file + " was removed under the running server", "58030");
        } catch (final IOException e) {
            throw new SQLException("cannot check the database file " + file + ": " + e.getMessage(), "58030", e);
        }
        if (fileKey != null && !Objects.equals(fileKey, now)) {
            throw new SQLException("the database file " + file + " was replaced under the running server", "58030");
        }
    }

    boolean holds() {
        try {
            check();
            return true;
        } catch (final SQLException e) {
            return false;
        }
    }
}
