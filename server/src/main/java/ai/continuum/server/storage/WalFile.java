package ai.continuum.server.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * SQLite's write-ahead log file ({@code <database>-wal}), synced to disk on demand: what makes the commits written
 * into it durable when the writer's connection itself does not sync ({@link LogSyncer}).
 *
 * <p>Why syncing another handle is enough: on Linux {@code fdatasync} writes out every dirty page of the file, whichever
 * descriptor wrote it, and the metadata needed to read it back (its size). The handle is opened on first use and opened
 * again whenever the path names another file than the one held (SQLite deletes the log when its last connection
 * closes, after copying it into the database file and syncing that, and creates a new one on the next write): a sync
 * through a handle of a deleted log would sync nothing that matters. Each newly opened log also has its directory
 * synced once, so the file's name survives a power loss as SQLite's own first sync of a new log would make it.
 *
 * <p>Thread-safe: {@link #sync} and {@link #close} are synchronized (the writer and the log syncer both sync).
 */
final class WalFile {
    private final Path path;

    private FileChannel channel;
    /** The identity (device and inode) of the file {@link #channel} is open on. */
    private Object channelKey;

    WalFile(final Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The log of the database file {@code database}: SQLite names it after the database with "-wal" appended. */
    static WalFile of(final Path database) {
        return new WalFile(database.resolveSibling(database.getFileName() + "-wal"));
    }

    Path path() {
        return path;
    }

    /**
     * Syncs what was written to the log so far. Without a log file (none was written since its last deletion) there
     * is nothing to sync: a deleted log was copied into the database file, and the database file synced, first.
     *
     * @throws IOException when the sync fails: what was written may not be on disk.
     */
    synchronized void sync() throws IOException {
        final Object key;
        try {
            key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (final NoSuchFileException e) {
            return;
        }
        if (channel == null || !channel.isOpen() || !Objects.equals(key, channelKey)) {
            reopen(key);
        }
        channel.force(false);
    }

    private void reopen(final Object key) throws IOException {
        closeChannel();
        channel = FileChannel.open(path, StandardOpenOption.READ);
        channelKey = key;
        // the directory entry of a new log, once: the log's data is of no use if its name is lost
        try (FileChannel directory = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    synchronized void close() {
        closeChannel();
    }

    private void closeChannel() {
        final FileChannel c = channel;
        channel = null;
        channelKey = null;
        if (c != null) {
            try {
                c.close();
            } catch (final IOException ignored) {
                // A read-only handle: nothing of ours is lost with it.
            }
        }
    }
}
