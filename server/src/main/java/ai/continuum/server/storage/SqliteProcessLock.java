package ai.continuum.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a SQLite store to one serving process. SQLite itself would let a second process write the same file, but that
 * process's engine would never see the first one's writes (only a PostgreSQL database has the change feed that keeps
 * several instances' engines equal), so a second {@code serve} (or a CLI command that writes) is refused with a
 * message pointing to PostgreSQL. The lock is an exclusive OS file lock on {@code <database>.lock}, released by the
 * OS when the process ends, also on {@code kill -9}: a stale lock file never blocks a restart. Read-only commands
 * (export, verify, doctor) take no lock and stay usable beside a running server.
 *
 * <p>Thread safety: acquire once, close once.
 */
public final class SqliteProcessLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private SqliteProcessLock(final FileChannel channel, final FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks the SQLite store of {@code dataDir} (its {@value SqliteStorage#FILE_NAME}) for this process.
     *
     * @throws IllegalStateException when another process (or another open store in this process) holds it.
     */
    public static SqliteProcessLock acquire(final Path dataDir) {
        final Path db = Storages.sqliteFile(dataDir).toAbsolutePath();
        final Path lockFile = db.resolveSibling(db.getFileName() + ".lock");
        try {
            OwnerOnly.directory(lockFile.getParent());
            OwnerOnly.file(lockFile);
            final FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (final OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("the SQLite store " + db + " is already in use by another Continuum "
                        + "process. SQLite serves one process: stop the other one, or run several instances on one "
                        + "PostgreSQL database (storage.backend=postgresql, CONTINUUM_CONNECTION_STRING; see the README "
                        + "section \"Running several replicas\").");
            }
            return new SqliteProcessLock(channel, lock);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot lock the SQLite store " + db, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (final IOException ignored) {
            // Closing the channel below releases it as well.
        } finally {
            try {
                channel.close();
            } catch (final IOException ignored) {
                // The OS drops the lock with the descriptor.
            }
        }
    }
}
