package ai.continuum.server.snapshot;

import ai.continuum.engine.ImageLoadTimes;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageLoading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The engine snapshot in a directory (local disk or a volume instances share): restoring an engine from it, and
 * replacing it with a newer one.
 *
 * <h2>What is restored</h2>
 * A snapshot is used only when all of these hold, checked cheapest first; otherwise {@link #restoreInto} says why in
 * one log line and the caller rebuilds from SQL:
 * <ul>
 *   <li>the file exists and its header parses (else <em>missing</em> or <em>corrupt</em>);</li>
 *   <li>it is of this file format and this build's engine image (format, off-heap layout, byte order) (else
 *       <em>outdated</em>);</li>
 *   <li>it was taken on this database at this schema version (else <em>foreign</em>, or <em>outdated</em> after a
 *       migration);</li>
 *   <li>every tenant's position lies within the database's chain and the chain hash there is the one recorded (else
 *       <em>outdated</em>: the database was restored from an older backup, a tenant's chain was rewritten);</li>
 *   <li>the CRC-32C over the whole file matches (else <em>corrupt</em>).</li>
 * </ul>
 * Only then is the engine read. The engine it fills must be empty, and a failure while reading it (which the checksum
 * makes an I/O failure in practice) is thrown, not fallen back from: that engine is then partly filled and must not
 * serve. The file is renamed {@code .rejected} first, so the next start rebuilds from SQL.
 *
 * <h2>Writing</h2>
 * {@link #write} writes a temporary file in the same directory, forces it to disk, and renames it over the snapshot
 * atomically: a reader sees the old file or the new one, never a partial one, also on a shared volume where several
 * instances write.
 */
public final class SnapshotStore {
    /** The snapshot's file name in its directory. */
    public static final String FILE_NAME = "engine.snapshot";

    private static final Logger LOG = Logger.getLogger(SnapshotStore.class.getName());

    private final Path dir;

    public SnapshotStore(final Path dir) {
        this.dir = dir;
    }

    public Path file() {
        return dir.resolve(FILE_NAME);
    }

    /** A restored engine's chain positions, and what the restore cost (in all, and by part of the engine read). */
    public record Restored(
            SortedMap<String, Long> positions, long takenAtMillis, long bytes, long millis, ImageLoadTimes load) {}

    /**
     * Loads the snapshot into {@code engine} (empty) if it is usable for {@code storage}; otherwise logs one line
     * saying why and what happens {@code otherwise}, and returns empty, leaving the engine untouched.
     *
     * @throws IllegalStateException when reading the engine failed after every check passed (see the class comment).
     */
    public Optional<Restored> restoreInto(final MemoryEngine engine, final Storage storage, final String otherwise) {
        final long startNs = System.nanoTime();
        final Path file = file();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            final SnapshotFile.Header header = check(channel, storage);
            SnapshotFile.verify(channel);
            final ImageLoadTimes load;
            try {
                load = SnapshotFile.loadInto(channel, engine).image();
            } catch (final RuntimeException | IOException e) {
                quarantine(file);
                throw new IllegalStateException(
                        "snapshot " + file + " passed its checks but could not be loaded; it is renamed .rejected and"
                                + " the next start rebuilds from the database",
                        e);
            }
            final SortedMap<String, Long> positions = new TreeMap<>();
            header.positions().forEach(p -> positions.put(p.tenant(), p.seq()));
            return Optional.of(new Restored(
                    positions,
                    header.takenAtMillis(),
                    channel.size(),
                    (System.nanoTime() - startNs) / 1_000_000,
                    load));
        } catch (final NoSuchFileException e) {
            LOG.info("snapshot " + file + " not used (missing: no snapshot yet); " + otherwise);
        } catch (final SnapshotRejectedException e) {
            fallback(file, e.getMessage(), otherwise);
        } catch (final IOException | UncheckedIOException | UnsupportedOperationException e) {
            fallback(file, "unreadable: " + e.getMessage(), otherwise);
        }
        return Optional.empty();
    }

    /**
     * The header of the current snapshot, checked against {@code storage} as a restore would (without the checksum),
     * or empty when there is none or it would not be used.
     */
    Optional<SnapshotFile.Header> usableHeader(final Storage storage) {
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.READ)) {
            return Optional.of(check(channel, storage));
        } catch (final IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Replaces the snapshot with {@code engine}'s image, taken at {@code positions} (each tenant's seq and chain hash
     * there). The engine must not change while it is written.
     *
     * @return the size of the new file in bytes.
     */
    public long write(
            final MemoryEngine engine, final List<SnapshotFile.Position> positions, final String storeIdentity)
            throws IOException {
        return write(engine, positions, storeIdentity, null, () -> {});
    }

    /**
     * As {@link #write(MemoryEngine, List, String)}, with the vectors {@code vectors} stores in the snapshot's vector
     * section ({@link VectorSection}); null writes none, as files were before the section existed. {@code
     * stateCaptured} runs once the engine's state is captured ({@link MemoryEngine#writeImage(ai.continuum.engine.store.ImageOutput, Runnable)}):
     * from then on the engine may change again.
     */
    public long write(
            final MemoryEngine engine,
            final List<SnapshotFile.Position> positions,
            final String storeIdentity,
            final StorageLoading vectors,
            final Runnable stateCaptured)
            throws IOException {
        Files.createDirectories(dir);
        final Path temp = Files.createTempFile(dir, FILE_NAME + ".", ".tmp");
        try {
            final long bytes;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                bytes = SnapshotFile.write(
                        channel, storeIdentity, positions, System.currentTimeMillis(), engine, vectors, stateCaptured);
                channel.force(true);
            }
            try {
                Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (final AtomicMoveNotSupportedException e) {
                throw new IOException("the snapshot directory " + dir + " cannot rename files atomically", e);
            }
            forceDirectory();
            return bytes;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private SnapshotFile.Header check(final FileChannel channel, final Storage storage) throws IOException {
        final SnapshotFile.Header header = SnapshotFile.readHeader(channel);
        if (header.engineIdentity() != MemoryEngine.imageIdentity()) {
            throw new SnapshotRejectedException("outdated: written by a build with another engine layout or format");
        }
        final String store = storage.identity();
        if (!store.equals(header.storeIdentity())) {
            throw new SnapshotRejectedException(
                    "foreign: taken on [" + header.storeIdentity() + "], this database is [" + store + "]");
        }
        final Map<String, Long> heads = storage.heads();
        for (final SnapshotFile.Position p : header.positions()) {
            final long head = heads.getOrDefault(p.tenant(), 0L);
            if (p.seq() > head) {
                throw new SnapshotRejectedException("outdated: tenant " + p.tenant() + " at position " + p.seq()
                        + ", beyond the database's head " + head);
            }
            if (p.seq() > 0) {
                final String hash = storage.hashAt(p.tenant(), p.seq()).orElse("(none)");
                if (!hash.equalsIgnoreCase(p.hashHex())) {
                    throw new SnapshotRejectedException("outdated: tenant " + p.tenant() + "'s chain hash at position "
                            + p.seq() + " is " + hash + " in the database, " + p.hashHex() + " in the snapshot");
                }
            }
        }
        return header;
    }

    private static void fallback(final Path file, final String reason, final String otherwise) {
        LOG.warning("snapshot " + file + " not used (" + reason + "); " + otherwise);
    }

    private static void quarantine(final Path file) {
        try {
            Files.move(
                    file, file.resolveSibling(file.getFileName() + ".rejected"), StandardCopyOption.REPLACE_EXISTING);
        } catch (final IOException e) {
            LOG.warning("cannot rename the unusable snapshot " + file + ": " + e.getMessage());
        }
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (final IOException ignored) {
            // Not every file system lets a directory be opened; the rename is atomic either way.
        }
    }
}
