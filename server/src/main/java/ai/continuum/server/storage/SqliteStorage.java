package ai.continuum.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the embedded SQLite storage: one file {@code <dataDir>/continuum.db} in WAL mode.
 *
 * <p>Connections: reads and key management share a HikariCP pool of {@link StorageSettings#readPoolSize}
 * connections; the writer has its own connection. Its transactions begin DEFERRED but write first (see
 * {@link WriteBehindWriter}), which takes the write lock before anything is read, so no transaction can fail to upgrade
 * its lock. (An IMMEDIATE transaction mode would not do: the driver begins the next transaction right after each
 * commit, so the writer would hold the lock between batches.) SQLite allows one writer at a time, so one writer thread
 * is also the fastest arrangement.
 *
 * <p>Durability: by default ({@link StorageSettings.Durability#FULL}) every commit's log is synced before the commit
 * is acknowledged, so an acknowledged op survives power loss as well as {@code kill -9}. Every connection but the
 * writer's runs {@code synchronous=FULL}, which syncs inside the {@code COMMIT}; the writer's runs {@code NORMAL} and
 * {@link LogSyncer} syncs the log after its {@code COMMIT}, overlapped with the next batch's statements.
 * {@code NORMAL} as a setting syncs no commit: it survives {@code kill -9} (the commit is in the OS page cache once
 * {@code write()} returned) but may lose the last commits on power loss or a kernel crash.
 * Foreign keys are not declared: the single writer keeps references consistent, and upserts stay cheap.
 */
public final class SqliteStorage {
    public static final String FILE_NAME = "continuum.db";
    /**
     * Bounds of the writer's page cache, KiB (SQLite's negative cache_size): the indexes its upserts walk stay in it.
     * Sized by the memory the process may use ({@link #writerCacheKib}), so a small pod gives it less. Not above 16
     * MiB: 64 MiB made the 100k/500k store's durable learns neither faster nor cheaper in two sittings of alternated
     * rounds (benchmarks/RESULTS.md, "SQLite's writer cache sized by the memory limit").
     */
    static final int MIN_WRITER_CACHE_KIB = 4_096;

    static final int MAX_WRITER_CACHE_KIB = 16_384;
    /**
     * Page cache of each pooled read connection, KiB: SQLite's own default. The reads are the start's load (one
     * sequential pass, which a cache does not help) and point lookups the OS page cache serves; at 16 MiB each, the
     * four of them could hold 64 MiB of a service meant to fit 256 MiB (benchmarks/RESULTS.md, "Resident memory of
     * the 100k/500k service, round two").
     */
    private static final int READ_CACHE_KIB = 2_048;

    private SqliteStorage() {}

    /** Opens (creating and migrating if needed) the database under {@code dataDir} and starts the writer. */
    public static Storage open(final Path dataDir, final StorageSettings settings) {
        return openFile(dataDir.resolve(FILE_NAME), settings);
    }

    /**
     * Opens (creating and migrating if needed) the database file {@code dbFile}, whatever its name, and starts the
     * writer: for callers that name the file rather than a data directory (the embedding API, {@code migrate}).
     */
    public static Storage openFile(final Path dbFile, final StorageSettings settings) {
        return createFile(dbFile, settings, SystemEpochClock.INSTANCE).start();
    }

    /** The storage with its writer not started: the caller drives {@link SqlStorage#writer()} (tests). */
    static SqlStorage create(final Path dataDir, final StorageSettings settings, final EpochClock clock) {
        return createFile(dataDir.resolve(FILE_NAME), settings, clock);
    }

    private static SqlStorage createFile(final Path dbFile, final StorageSettings settings, final EpochClock clock) {
        final Path file = dbFile.toAbsolutePath();
        try {
            OwnerOnly.directory(file.getParent());
            // An empty file is a new database to SQLite; created here it is 0600, and its -wal and -shm follow.
            OwnerOnly.file(file);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the database file " + file, e);
        }
        final String url = "jdbc:sqlite:" + file;
        final long limit = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        final SQLiteDataSource writer = dataSource(url, settings, writerCacheKib(limit));
        Migrations.migrate(writer, SqlDialect.SQLITE);
        final HikariConfig pool = new HikariConfig();
        pool.setPoolName("continuum-sqlite");
        pool.setDataSource(dataSource(url, settings, READ_CACHE_KIB));
        pool.setMaximumPoolSize(settings.readPoolSize());
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(2_000);
        pool.setValidationTimeout(1_000);
        return new SqlStorage(
                SqlDialect.SQLITE, new HikariDataSource(pool), writer, settings, clock, DatabaseFileGuard.of(file));
    }

    /**
     * The writer's page cache for a process that may use {@code limitBytes} (the container's limit, or the machine's
     * memory): a 32nd of it, from {@link #MIN_WRITER_CACHE_KIB} to {@link #MAX_WRITER_CACHE_KIB}. 8 MiB in the seed's
     * 256 MiB pod, 16 MiB from 512 MiB.
     */
    static int writerCacheKib(final long limitBytes) {
        return (int) Math.clamp(limitBytes / 32 / 1024, MIN_WRITER_CACHE_KIB, MAX_WRITER_CACHE_KIB);
    }

    static SQLiteDataSource dataSource(final String url, final StorageSettings settings, final int cacheKib) {
        final SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(
                settings.durability() == StorageSettings.Durability.FULL
                        ? SQLiteConfig.SynchronousMode.FULL
                        : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) settings.busyTimeoutMs());
        config.enforceForeignKeys(false);
        config.setCacheSize(-cacheKib);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // A forgotten memory's text is overwritten in the file, not just unlinked from the B-tree.
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
        final SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        return ds;
    }
}
