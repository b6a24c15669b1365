package ai.continuum.server.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a SQLite database and its directory unwritable under a running process, and undoes it on {@link #close}.
 *
 * <p>Modes are set to 444 (files) and 555 (directory). Modes bind only at open(2) and root ignores them, so a server
 * that already holds its file descriptors keeps writing; when the database is still writable after the chmod (root),
 * the files and directory are also marked immutable with {@code chattr +i}, which refuses writes through descriptors
 * opened before. The shared-memory index ({@code -shm}) is never made immutable: SQLite maps it, and a refused write
 * to a mapped page is a SIGBUS rather than an error the database can report.
 */
final class Unwritable implements AutoCloseable {
    private final Path dir;
    private final List<Path> files;
    private final boolean immutable;

    private Unwritable(final Path dir, final List<Path> files, final boolean immutable) {
        this.dir = dir;
        this.files = files;
        this.immutable = immutable;
    }

    static Unwritable apply(final Path dir, final String dbName) throws IOException, InterruptedException {
        final List<Path> files = new ArrayList<>();
        for (final String suffix : new String[] {"", "-wal", "-shm"}) {
            final Path file = dir.resolve(dbName + suffix);
            if (Files.exists(file)) {
                files.add(file);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        final boolean modesBind = !Files.isWritable(dir.resolve(dbName));
        if (modesBind) {
            return new Unwritable(dir, files, false);
        }
        final List<Path> frozen = new ArrayList<>(
                files.stream().filter(f -> !f.toString().endsWith("-shm")).toList());
        frozen.add(dir);
        chattr("+i", frozen);
        return new Unwritable(dir, files, true);
    }

    /** True when writes through already open descriptors are refused too (immutable files), not only new opens. */
    boolean refusesOpenDescriptors() {
        return immutable;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (immutable) {
            final List<Path> frozen = new ArrayList<>(
                    files.stream().filter(f -> !f.toString().endsWith("-shm")).toList());
            frozen.add(dir);
            chattr("-i", frozen);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (final Path file : files) {
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    private static void chattr(final String flag, final List<Path> paths) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of("chattr", flag));
        paths.forEach(p -> command.add(p.toString()));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new UncheckedIOException(new IOException("chattr " + flag + " failed: " + out));
        }
    }
}
