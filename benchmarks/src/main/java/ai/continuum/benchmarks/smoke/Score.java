package ai.continuum.benchmarks.smoke;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark's result as the smoke check compares it.
 *
 * @param key   short benchmark name and its parameters, e.g. {@code RecallBenchmark.recall [graph=100k/500k]}.
 * @param mode  JMH mode: {@code thrpt} (higher is better), {@code sample} or {@code avgt} (lower is better), ...
 * @param unit  JMH score unit, e.g. {@code ops/s} or {@code us/op}.
 * @param score the compared figure: the median for sample mode; otherwise the best measurement iteration (highest
 *              throughput, lowest time), the one least disturbed by other work on a shared machine.
 * @param p99   99th percentile for sample mode, else NaN; reported, not compared (too noisy on a shared machine).
 */
@SuppressWarnings("unchecked")
record Score(String key, String mode, String unit, double score, double p99) {
    static final String CALIBRATION = "CalibrationBenchmark.";

    boolean higherIsBetter() {
        return "thrpt".equals(mode);
    }

    boolean isCalibration() {
        return key.startsWith(CALIBRATION);
    }

    /** For the calibration entry: the machine's speed, higher when faster (its throughput, or 1 / its time). */
    double speed() {
        return higherIsBetter() ? score : 1.0 / score;
    }

    /**
     * The score made independent of machine speed using the calibration {@code speed} of the same run: throughput
     * divided by it, time multiplied by it. On a machine twice as slow both change by the same factor.
     */
    double normalized(final double speed) {
        return higherIsBetter() ? score / speed : score * speed;
    }

    /** How many times worse {@code current} is than this baseline, both normalised; above 1 means slower. */
    double slowdown(final double baselineNormalized, final double currentNormalized) {
        return higherIsBetter() ? baselineNormalized / currentNormalized : currentNormalized / baselineNormalized;
    }

    /** Reads every entry of a JMH JSON result file ({@code -rf json}). */
    static List<Score> fromJmh(final Object json) {
        if (!(json instanceof List<?> entries)) {
            throw new IllegalArgumentException("a JMH result file is a JSON array");
        }
        final List<Score> scores = new ArrayList<>();
        for (final Object e : entries) {
            final Map<String, Object> entry = (Map<String, Object>) e;
            final String benchmark = (String) entry.get("benchmark");
            final String mode = (String) entry.get("mode");
            final Map<String, Object> primary = (Map<String, Object>) entry.get("primaryMetric");
            final Map<String, Object> percentiles = (Map<String, Object>) primary.get("scorePercentiles");
            final boolean sample = "sample".equals(mode) && percentiles != null;
            final double score = sample
                    ? number(percentiles.get("50.0"))
                    : best((List<Object>) primary.get("rawData"), "thrpt".equals(mode), number(primary.get("score")));
            final double p99 = sample ? number(percentiles.get("99.0")) : Double.NaN;
            scores.add(new Score(
                    key(benchmark, (Map<String, Object>) entry.get("params")),
                    mode,
                    (String) primary.get("scoreUnit"),
                    score,
                    p99));
        }
        return scores;
    }

    private static String key(final String benchmark, final Map<String, Object> params) {
        final int method = benchmark.lastIndexOf('.');
        final int type = benchmark.lastIndexOf('.', method - 1);
        final String shortName = benchmark.substring(type + 1);
        if (params == null || params.isEmpty()) {
            return shortName;
        }
        final StringBuilder out = new StringBuilder(shortName).append(" [");
        new TreeMap<>(params).forEach((k, v) -> {
            if (out.charAt(out.length() - 1) != '[') {
                out.append(", ");
            }
            out.append(k).append('=').append(v);
        });
        return out.append(']').toString();
    }

    /** The best iteration over all forks, or {@code fallback} when the file carries no raw data. */
    private static double best(final List<Object> rawData, final boolean higherIsBetter, final double fallback) {
        if (rawData == null) {
            return fallback;
        }
        double best = Double.NaN;
        for (final Object fork : rawData) {
            for (final Object iteration : (List<Object>) fork) {
                final double v = number(iteration);
                if (Double.isNaN(best) || (higherIsBetter ? v > best : v < best)) {
                    best = v;
                }
            }
        }
        return Double.isNaN(best) ? fallback : best;
    }

    private static double number(final Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s) {
            return Double.parseDouble(s);
        }
        return Double.NaN;
    }
}
