package ai.continuum.server.storage;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The steps of one {@link Storage#optimize} run as they happen: each statement timed, the step under way named (so a
 * failure can say where it stopped), notes for the operator.
 *
 * <p>Thread safety: confined to the thread running the optimize.
 */
final class OptimizeRun {
    private final long startNs = System.nanoTime();
    private final List<OptimizeReport.Step> steps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** The step being run, or the last one run. */
    private String current = "start";

    /** Runs {@code sql} as the step {@code name} and records its wall time. */
    void execute(final Statement statement, final String name, final String sql) throws SQLException {
        current = name;
        final long stepStartNs = System.nanoTime();
        statement.execute(sql);
        steps.add(new OptimizeReport.Step(name, millisSince(stepStartNs)));
    }

    void execute(final Statement statement, final String sql) throws SQLException {
        execute(statement, sql, sql);
    }

    void note(final String note) {
        notes.add(note);
    }

    /** The step under way, for failure messages. */
    String current() {
        return current;
    }

    /** Steps done so far, for failure messages: "ANALYZE, REINDEX", or "none". */
    String done() {
        return steps.isEmpty()
                ? "none"
                : String.join(
                        ", ", steps.stream().map(OptimizeReport.Step::name).toList());
    }

    OptimizeReport report(
            final String backend, final String scope, final long sizeBeforeBytes, final long sizeAfterBytes) {
        return new OptimizeReport(backend, scope, steps, notes, sizeBeforeBytes, sizeAfterBytes, millisSince(startNs));
    }

    private static long millisSince(final long startNs) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }
}
