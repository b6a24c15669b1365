package ai.continuum.server.e2e;

import ai.continuum.engine.ConceptKeys;
import ai.continuum.engine.Delta;
import ai.continuum.server.storage.PostgresStorage;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Drives the storage writer alone (no HTTP, no engine) with learn-shaped ops, 64 in flight as under concurrent
 * requests, and prints the durable ops per second, this process's CPU time per op and, for a PostgreSQL on this
 * machine, the CPU time its backends spent per op (read from {@code /proc}; Linux). CPU per op hardly depends on what
 * else the machine runs, which throughput on a shared machine does.
 *
 * <p>Usage: {@code WriterLoad DATA_DIR|CONNECTION_STRING [OPS]} (default 12,000 measured ops after 3,000 warm-up ops),
 * with the server's classes on the class path. A data directory writes SQLite, a connection string PostgreSQL.
 */
public final class WriterLoad {
    private static final int IN_FLIGHT = 64;
    private static final int WARM_UP_OPS = 3_000;
    private static final long NANOS_PER_TICK = 10_000_000L;

    private WriterLoad() {}

    public static void main(final String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: WriterLoad DATA_DIR|CONNECTION_STRING [OPS]");
            System.exit(2);
        }
        final String target = args[0];
        final int ops = args.length == 2 ? Integer.parseInt(args[1]) : 12_000;
        final boolean postgres = target.startsWith("jdbc:postgresql:") || target.startsWith("postgres");
        try (Storage storage = postgres
                ? PostgresStorage.open(target, StorageSettings.defaults())
                : SqliteStorage.open(Path.of(target), StorageSettings.defaults())) {
            write(storage, 1, WARM_UP_OPS);
            final List<Integer> backends = postgres ? backendPids(target) : List.of();
            final com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            final long cpu0 = os.getProcessCpuTime();
            final long pg0 = cpuNanos(backends);
            final long t0 = System.nanoTime();
            write(storage, WARM_UP_OPS + 1, ops);
            final long wallNs = System.nanoTime() - t0;
            final long cpuNs = os.getProcessCpuTime() - cpu0;
            final long pgNs = cpuNanos(backends) - pg0;
            System.out.printf(
                    "%s: %,.0f ops/s, this process %.0f us CPU/op, database backends %s%n",
                    postgres ? "postgresql" : "sqlite",
                    ops * 1e9 / wallNs,
                    cpuNs / 1e3 / ops,
                    pgNs < 0 ? "n/a" : String.format("%.0f us CPU/op", pgNs / 1e3 / ops));
        }
    }

    private static void write(final Storage storage, final long firstId, final int ops) throws InterruptedException {
        final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        for (long id = firstId; id < firstId + ops; id++) {
            inFlight.acquire();
            // The handler reports each failure; the semaphore, not the futures, tells when all are done.
            final CompletableFuture<?> unused = storage.submit(new StorageOp.Apply("load", turn(id)))
                    .whenComplete((head, failure) -> {
                        if (failure != null) {
                            failure.printStackTrace();
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquire(IN_FLIGHT);
    }

    /** What learning one turn naming two of many concepts and one shared concept produces. */
    private static Delta turn(final long id) {
        final String[] names = {"Concept " + id % 997, "Topic " + id % 1_013, "Release Plan"};
        final TreeMap<String, String> byKey = new TreeMap<>();
        for (final String n : names) {
            byKey.putIfAbsent(ConceptKeys.normalize(n), n);
        }
        final List<Delta.ConceptDelta> concepts = new ArrayList<>();
        byKey.forEach((k, n) -> concepts.add(new Delta.ConceptDelta(k, n, "concept", "Extracted from user", id)));
        final List<String> keys = new ArrayList<>(byKey.keySet());
        final List<Delta.LinkDelta> links = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                links.add(new Delta.LinkDelta(keys.get(i), keys.get(j), 1, id));
            }
        }
        final String answer = "I will link " + names[0] + " and " + names[1] + " in the Release Plan.";
        return new Delta(
                concepts,
                links,
                List.of(new Delta.CompoundDelta(keys, 1, id)),
                List.of(new Delta.MemoryDelta(
                        id,
                        "s",
                        "Should " + names[0] + " depend on " + names[1] + " for release " + id + "?",
                        answer,
                        "",
                        "",
                        id,
                        keys)),
                List.of(new Delta.DecisionDelta(id, 0, answer, id)));
    }

    /** The server processes of the other sessions on the storage's database (its pool: reads and the writer). */
    private static List<Integer> backendPids(final String target) throws SQLException {
        final List<Integer> pids = new ArrayList<>();
        try (Connection c = PostgresStorage.connect(target);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    /** User plus system CPU time of {@code pids} from {@code /proc/<pid>/stat}, or -1 where that cannot be read. */
    private static long cpuNanos(final List<Integer> pids) {
        long ticks = 0;
        for (final int pid : pids) {
            try {
                final String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                final String[] fields =
                        stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (final IOException | RuntimeException e) {
                return -1;
            }
        }
        return ticks * NANOS_PER_TICK;
    }
}
