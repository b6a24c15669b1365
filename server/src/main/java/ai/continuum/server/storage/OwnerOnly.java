package ai.continuum.server.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Creates the server's files for its own user only: directories 0700 (data directory, import spool), files 0600
 * (database, its lock, the admin key). They hold every tenant's memories and key hashes, so no other local user may
 * read them, whatever the umask. What already exists is not changed (an operator may have chosen a group on purpose,
 * as Kubernetes' {@code fsGroup} does): it is logged as a warning, and {@code continuum doctor} fails on it.
 * SQLite creates its {@code -wal} and {@code -shm} files with the database file's mode, so they follow.
 *
 * <p>On a file system without POSIX permissions this creates files and directories as usual. Thread-safe: stateless.
 */
public final class OwnerOnly {
    private static final Logger LOG = Logger.getLogger(OwnerOnly.class.getName());
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private OwnerOnly() {}

    /** Creates {@code dir} (and missing parents) 0700, or warns when it exists open to others. */
    public static Path directory(final Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            warnIfOpen(dir);
            return dir;
        }
        try {
            return Files.createDirectories(dir, DIRECTORY);
        } catch (final UnsupportedOperationException e) {
            return Files.createDirectories(dir);
        }
    }

    /** Creates an empty {@code file} 0600 unless it exists; warns when it exists open to others. */
    public static Path file(final Path file) throws IOException {
        try {
            return newFile(file);
        } catch (final FileAlreadyExistsException e) {
            warnIfOpen(file);
            return file;
        }
    }

    /** Creates an empty {@code file} 0600, atomically. @throws FileAlreadyExistsException when it exists. */
    public static Path newFile(final Path file) throws IOException {
        try {
            return Files.createFile(file, FILE);
        } catch (final UnsupportedOperationException e) {
            return Files.createFile(file);
        }
    }

    /**
     * The permissions {@code path} grants to its group or to others ("group read, others read"), or "" when none (or
     * when the file system has no POSIX permissions).
     */
    public static String openTo(final Path path) throws IOException {
        final Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(path);
        } catch (final UnsupportedOperationException e) {
            return "";
        }
        return perms.stream()
                .filter(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))
                .sorted()
                .map(p -> p.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "));
    }

    /** The chmod that makes {@code path} owner-only. */
    public static String fix(final Path path) {
        return "chmod " + (Files.isDirectory(path) ? "700 " : "600 ") + path;
    }

    private static void warnIfOpen(final Path path) throws IOException {
        final String open = openTo(path);
        if (!open.isEmpty()) {
            LOG.warning(() ->
                    path + " grants " + open + ": other local users may read tenants' data or keys; run: " + fix(path));
        }
    }
}
