package ai.continuum.server.storage;

import java.util.List;

/**
 * What {@link Storage#optimize} did.
 *
 * @param backend         {@code sqlite} or {@code postgresql}.
 * @param scope           what was measured and tidied: the SQLite database file, or the PostgreSQL schema and its
 *                        number of tables.
 * @param steps           the statements run, in order, with how long each took.
 * @param notes           anything the operator should know (a checkpoint that could not finish), or empty.
 * @param sizeBeforeBytes SQLite: database file plus WAL; PostgreSQL: total relation size (tables, indexes, TOAST) of
 *                        the tables in Continuum's schema.
 * @param sizeAfterBytes  the same, measured after the last step.
 * @param durationMs      wall time of the whole run.
 */
public record OptimizeReport(
        String backend,
        String scope,
        List<Step> steps,
        List<String> notes,
        long sizeBeforeBytes,
        long sizeAfterBytes,
        long durationMs) {
    public OptimizeReport {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    /** One statement of the run and its wall time. */
    public record Step(String name, long durationMs) {}
}
