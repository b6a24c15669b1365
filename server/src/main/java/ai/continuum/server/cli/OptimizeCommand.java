package ai.continuum.server.cli;

import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.http.Json;
import ai.continuum.server.storage.OptimizeReport;
import ai.continuum.server.storage.Storage;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code continuum optimize}: planner statistics and indexes, and with {@code --vacuum} the space of deleted rows. */
@Command(
        name = "optimize",
        mixinStandardHelpOptions = true,
        description = {
            "Refresh the database's planner statistics and indexes; with --vacuum, reclaim deleted rows' space.",
            "",
            "SQLite: ANALYZE, REINDEX, VACUUM with --vacuum (rewrites the file without its free pages), then a WAL "
                    + "checkpoint(TRUNCATE). PostgreSQL: ANALYZE of Continuum's tables, or VACUUM (ANALYZE) with --vacuum "
                    + "(space becomes reusable; files shrink only at their free tail). Reports each step's time and the size "
                    + "before and after (SQLite: database file + WAL; PostgreSQL: the tables of Continuum's schema).",
            "",
            "Safe beside a running server: each step waits for locks at most the busy timeout (5 s), then stops with a "
                    + "message and leaves the database as it was before that step. On SQLite each step holds the write lock "
                    + "while it runs, VACUUM longest (it rewrites the file): the server's learns wait meanwhile and, past "
                    + "their retry window (about 10 s), answer 503 until it ends. Run --vacuum on a large SQLite database "
                    + "when the server is quiet or stopped; it needs free disk space about the database's size."
        })
final class OptimizeCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--vacuum", description = "Also reclaim the space of deleted rows.")
    boolean vacuum;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final ServerConfig config = options.load();
        final OptimizeReport report;
        try (Storage storage = ExistingStorage.open(config)) {
            report = storage.optimize(vacuum);
        }
        if (json) {
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            return 0;
        }
        System.out.println(report.backend() + " " + report.scope());
        System.out.println("steps: "
                + report.steps().stream()
                        .map(s -> s.name() + " " + s.durationMs() + " ms")
                        .collect(Collectors.joining(", ")));
        report.notes().forEach(n -> System.out.println("note: " + n));
        final long delta = report.sizeAfterBytes() - report.sizeBeforeBytes();
        System.out.printf(
                Locale.ROOT,
                "size: %,d -> %,d bytes (%s%,d) in %d ms%n",
                report.sizeBeforeBytes(),
                report.sizeAfterBytes(),
                delta > 0 ? "+" : "",
                delta,
                report.durationMs());
        return 0;
    }
}
