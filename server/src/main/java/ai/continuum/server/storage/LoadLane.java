package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A reader thread of the start-up load: for every tenant, in order, it runs the queries of its tables on its own
 * connection and queues each table's rows as deltas of at most {@code chunkRows} items, then an end mark. The
 * consumer ({@link StateLoader}, on the caller's thread) takes them with {@link #next}.
 *
 * <p>The queue holds {@value #QUEUE_CHUNKS} deltas: enough to keep the consumer busy across a fetch round trip, few
 * enough that the heap holds a bounded slice of the database. When full, the reader waits, and so does the server's
 * cursor behind it.
 *
 * <p>Thread model: {@link #start}, {@link #next} and {@link #stop} are called by the consumer thread; the reader
 * thread owns the connection from {@link #start} until it ends, which {@link #stop} waits for.
 */
final class LoadLane {
    private static final int QUEUE_CHUNKS = 4;
    private static final int MAX_FETCH_ROWS = 10_000;

    /** What the reader queues: a delta, the end of one table of one tenant, or the failure that ended the reader. */
    private record Item(Delta delta, Throwable failure) {
        static final Item END = new Item(null, null);
    }

    private final Connection connection;
    private final List<LoadTable> tables;
    private final int chunkRows;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    private Thread thread;
    /** The reader's running statement, for {@link #stop} to cancel; written by the reader, read by the consumer. */
    private volatile PreparedStatement running;
    /** Set by the consumer when it stops early; the reader then stops queueing. */
    private volatile boolean stopped;

    LoadLane(final Connection connection, final List<LoadTable> tables, final int chunkRows) {
        this.connection = connection;
        this.tables = List.copyOf(tables);
        this.chunkRows = chunkRows;
    }

    boolean reads(final LoadTable table) {
        return tables.contains(table);
    }

    void start(final List<String> tenants) {
        thread = new Thread(
                () -> run(tenants), "continuum-load-" + tables.getFirst().name().toLowerCase(Locale.ROOT));
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The next delta of the current table, or null at its end (the next call starts the lane's next table).
     *
     * @throws SQLException the reader's failure, also a {@link RuntimeException} it hit (rethrown as is).
     */
    Delta next() throws SQLException, InterruptedException {
        final Item item = queue.take();
        if (item.failure() != null) {
            switch (item.failure()) {
                case SQLException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new SQLException("the load failed: " + item.failure(), item.failure());
            }
        }
        return item.delta();
    }

    /** Ends the reader (cancelling its query when it has not finished) and waits for it. */
    void stop() {
        if (thread == null) {
            return;
        }
        stopped = true;
        if (thread.isAlive()) {
            thread.interrupt();
            final PreparedStatement ps = running;
            if (ps != null) {
                try {
                    ps.cancel();
                } catch (final SQLException ignored) {
                    // The query finished meanwhile, or cannot be cancelled: the reader ends at its next row.
                }
            }
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (final InterruptedException e) {
                interrupted = true; // the connection must not be reused before the reader let go of it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(final List<String> tenants) {
        try {
            for (final String tenant : tenants) {
                for (final LoadTable table : tables) {
                    stream(tenant, table);
                    queue.put(Item.END);
                }
            }
        } catch (final InterruptedException e) {
            // stop(): the consumer no longer takes; end without queueing.
        } catch (final Throwable e) {
            if (!stopped) {
                try {
                    queue.put(new Item(null, e));
                } catch (final InterruptedException stoppedMeanwhile) {
                    // stop() came first: nobody reads the failure.
                }
            }
        }
    }

    private void stream(final String tenant, final LoadTable table) throws SQLException, InterruptedException {
        try (PreparedStatement ps = connection.prepareStatement(table.sql())) {
            ps.setFetchSize(Math.min(chunkRows, MAX_FETCH_ROWS));
            ps.setString(1, tenant);
            running = ps;
            try (ResultSet rs = ps.executeQuery()) {
                List<Object> chunk = new ArrayList<>();
                while (rs.next()) {
                    if (stopped) {
                        throw new InterruptedException("load stopped");
                    }
                    chunk.add(table.read(rs));
                    if (chunk.size() == chunkRows) {
                        queue.put(new Item(table.wrap(chunk), null));
                        chunk = new ArrayList<>();
                    }
                }
                if (!chunk.isEmpty()) {
                    queue.put(new Item(table.wrap(chunk), null));
                }
            } finally {
                running = null;
            }
        }
    }
}
