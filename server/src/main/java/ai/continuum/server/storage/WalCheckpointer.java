package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Copies SQLite's write-ahead log back into the database file on a thread of its own, so the storage writer's commits
 * never do it. Left to SQLite, the connection whose commit takes the log past its auto-checkpoint size (1,000 pages)
 * copies every page of the log into the file and syncs the file inside that commit, and the writer acknowledges
 * nothing meanwhile. Here the writer's connection raises that threshold to a backstop ({@link #BACKSTOP_PAGES}: reached
 * only if this thread falls far behind) and this thread runs a {@code PASSIVE} checkpoint, which never waits for the
 * writer or readers, whenever commits happened since the last one, at most every {@link #INTERVAL_MS}.
 *
 * <p>Durability is not touched: a commit is durable once its log frames are written and (with
 * {@code synchronous=FULL}) synced, which the writer does before acknowledging; a checkpoint only moves committed
 * pages into the file and syncs the file before the log may be reused. A crash during a checkpoint leaves the log,
 * which SQLite replays on open.
 *
 * <p>Thread model: {@link #committed} from the writer thread; the loop on its own daemon thread; {@link #close} from
 * the storage's closer.
 */
final class WalCheckpointer implements Runnable {
    /** The writer's {@code wal_autocheckpoint}: 16,384 pages of 4 KiB, 64 MiB of log, before it copies itself. */
    static final int BACKSTOP_PAGES = 16_384;
    /** The shortest pause between two checkpoints: lets a checkpoint copy many commits' pages at once. */
    static final long INTERVAL_MS = 200;

    private static final System.Logger LOG = System.getLogger(WalCheckpointer.class.getName());

    private final DataSource connections;
    /** Whether the writer committed since the last checkpoint began; set by the writer, reset here. */
    private volatile boolean dirty;

    private volatile boolean closed;
    private Thread thread;

    WalCheckpointer(final DataSource connections) {
        this.connections = connections;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("continuum-wal-checkpointer").start(this);
    }

    /** The writer committed: there are log pages to copy. */
    void committed() {
        dirty = true;
    }

    @Override
    public void run() {
        Connection c = null;
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS));
            if (!dirty || closed) {
                continue;
            }
            dirty = false;
            try {
                if (c == null) {
                    c = connections.getConnection();
                }
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA wal_checkpoint(PASSIVE)");
                }
            } catch (final SQLException e) {
                // The writer's backstop copies the log if this keeps failing; a new connection is tried next time.
                LOG.log(System.Logger.Level.WARNING, "WAL checkpoint failed: " + Failures.describe(e));
                c = close(c);
                dirty = true;
            }
        }
        close(c);
    }

    private static Connection close(final Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (final SQLException ignored) {
                // Being thrown away.
            }
        }
        return null;
    }

    /** Stops the thread (within one interval); what is left in the log stays there for the next open or checkpoint. */
    void close() {
        closed = true;
        ParkedThreads.wakeAndJoin(thread, TimeUnit.SECONDS.toMillis(5));
    }
}
