package ai.continuum.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The side-by-side text table: one column per retriever, a block of rows for all questions and one per category.
 * Stateless.
 */
public final class ReportTable {

    private static final int LABEL_WIDTH = 34;
    private static final int COLUMN_WIDTH = 12;

    private ReportTable() {}

    public static String format(
            final String datasetLabel,
            final EvalDataset dataset,
            final List<Integer> ks,
            final List<Evaluator.RetrieverRun> runs) {
        final StringBuilder out = new StringBuilder(4096);
        out.append(String.format(
                Locale.ROOT,
                "Recall evaluation of %s: %d conversations, %d turns, %d questions%n%n",
                datasetLabel,
                dataset.conversations().size(),
                dataset.turnCount(),
                dataset.questionCount()));
        out.append(pad("", LABEL_WIDTH));
        for (final Evaluator.RetrieverRun run : runs) {
            out.append(left(run.name(), COLUMN_WIDTH));
        }
        out.append(System.lineSeparator());
        block(out, "all questions", runs, Evaluator.RetrieverRun::overall, ks);
        row(out, "  index time, all turns (ms)", runs, run -> String.valueOf(run.indexMillis()));
        for (final String category : categories(runs)) {
            block(out, category, runs, run -> run.byCategory().get(category), ks);
        }
        return out.toString();
    }

    private static void block(
            final StringBuilder out,
            final String title,
            final List<Evaluator.RetrieverRun> runs,
            final Function<Evaluator.RetrieverRun, Metrics> metrics,
            final List<Integer> ks) {
        out.append(System.lineSeparator());
        out.append(title)
                .append(" (n=")
                .append(metrics.apply(runs.get(0)).questions())
                .append(')')
                .append(System.lineSeparator());
        for (final int k : ks) {
            row(out, "  hit@" + k, runs, run -> ratio(metrics.apply(run).hitAt().get(k)));
        }
        for (final int k : ks) {
            row(
                    out,
                    "  recall_all@" + k,
                    runs,
                    run -> ratio(metrics.apply(run).recallAllAt().get(k)));
        }
        row(out, "  MRR", runs, run -> ratio(metrics.apply(run).mrr()));
        row(
                out,
                "  recall latency p50 (us)",
                runs,
                run -> micros(metrics.apply(run).p50Micros()));
        row(
                out,
                "  recall latency p99 (us)",
                runs,
                run -> micros(metrics.apply(run).p99Micros()));
    }

    private static void row(
            final StringBuilder out,
            final String label,
            final List<Evaluator.RetrieverRun> runs,
            final Function<Evaluator.RetrieverRun, String> cell) {
        out.append(pad(label, LABEL_WIDTH));
        for (final Evaluator.RetrieverRun run : runs) {
            out.append(left(cell.apply(run), COLUMN_WIDTH));
        }
        out.append(System.lineSeparator());
    }

    private static List<String> categories(final List<Evaluator.RetrieverRun> runs) {
        final Set<String> names = new LinkedHashSet<>();
        runs.forEach(run -> names.addAll(run.byCategory().keySet()));
        return new ArrayList<>(names);
    }

    private static String ratio(final double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String micros(final double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String pad(final String text, final int width) {
        return String.format(Locale.ROOT, "%-" + width + "s", text);
    }

    private static String left(final String text, final int width) {
        return String.format(Locale.ROOT, "%" + width + "s", text);
    }
}
