package ai.continuum.benchmarks.smoke;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a JMH JSON result file with the committed baseline after normalising both by their own run's calibration
 * score ({@code CalibrationBenchmark}), and fails only on a large regression: a benchmark more than
 * {@code --max-slowdown} (default 3) times worse than its baseline, or a baseline benchmark missing from the run.
 * Benchmarks absent from the baseline are reported as new and pass.
 *
 * <p>CI runs every benchmark in sample mode ({@code -bm sample}) and compares medians: on a shared machine, other
 * processes preempt the benchmark thread now and then, which swings throughput figures by 2-3x but barely moves a
 * median. Throughput results are still accepted (best iteration), should a baseline be made that way.
 *
 * <p>A busy machine can still slow one benchmark past the threshold for a whole run (a compiler thread starved during
 * warm-up, another job's burst). So a benchmark may be measured again: several result files may be given, each
 * normalised by its own run's calibration, and a benchmark fails only when <em>every</em> run that measured it is over
 * the threshold (its best run counts). {@code --failed FILE} writes a JMH include pattern of the failing benchmarks,
 * which {@code .ci/jmh-smoke.sh} uses to re-run exactly those before failing the build.
 *
 * <p>Usage: {@code SmokeCheck <results.json>... <baseline.json> [--max-slowdown 3] [--failed FILE]
 * [--write-baseline]}. With {@code --write-baseline} the (single) results file becomes the new baseline instead of
 * being checked. Exit status: 0 passed, 1 regression, 2 bad input.
 */
public final class SmokeCheck {
    static final double DEFAULT_MAX_SLOWDOWN = 3.0;
    static final int FORMAT = 2;

    private SmokeCheck() {}

    public static void main(final String[] args) {
        final int status = run(args, System.out);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(final String[] args, final PrintStream out) {
        final List<String> positional = new ArrayList<>();
        boolean write = false;
        double maxSlowdown = DEFAULT_MAX_SLOWDOWN;
        Path failedOut = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--write-baseline" -> write = true;
                case "--max-slowdown" -> {
                    if (i + 1 == args.length) {
                        out.println("--max-slowdown needs a value");
                        return 2;
                    }
                    maxSlowdown = Double.parseDouble(args[++i]);
                }
                case "--failed" -> {
                    if (i + 1 == args.length) {
                        out.println("--failed needs a file");
                        return 2;
                    }
                    failedOut = Path.of(args[++i]);
                }
                default -> positional.add(args[i]);
            }
        }
        if (positional.size() < 2 || (write && positional.size() != 2) || !(maxSlowdown > 1.0)) {
            out.println("usage: SmokeCheck <results.json>... <baseline.json> [--max-slowdown N>1] [--failed FILE]"
                    + " [--write-baseline]");
            return 2;
        }
        try {
            final List<Run> runs = new ArrayList<>();
            for (final String file : positional.subList(0, positional.size() - 1)) {
                final List<Score> scores = Score.fromJmh(Json.parse(read(Path.of(file))));
                runs.add(new Run(scores, calibration(scores)));
            }
            final Path baselinePath = Path.of(positional.get(positional.size() - 1));
            if (write) {
                final List<Score> scores = runs.get(0).scores();
                final Score calibration = runs.get(0).calibration();
                Files.writeString(baselinePath, baselineJson(scores, calibration), StandardCharsets.UTF_8);
                out.printf(
                        Locale.ROOT,
                        "wrote %s: %d benchmarks, calibration %.3f %s%n",
                        baselinePath,
                        scores.size() - 1,
                        calibration.score(),
                        calibration.unit());
                return 0;
            }
            final Baseline baseline = readBaseline(read(baselinePath));
            for (final Run run : runs) {
                final Score calibration = run.calibration();
                if (!baseline.calibrationMode().equals(calibration.mode())
                        || !baseline.calibrationUnit().equals(calibration.unit())) {
                    out.printf(
                            Locale.ROOT,
                            "calibration is %s %s here but %s %s in the baseline; regenerate it%n",
                            calibration.mode(),
                            calibration.unit(),
                            baseline.calibrationMode(),
                            baseline.calibrationUnit());
                    return 2;
                }
            }
            final List<String> failed = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                if (runs.size() > 1) {
                    out.printf(Locale.ROOT, "run %d of %d%n", i + 1, runs.size());
                }
                compare(runs.get(i), baseline.entries(), maxSlowdown, out);
            }
            final int status = verdict(runs, baseline.entries(), maxSlowdown, failed, out);
            if (failedOut != null) {
                Files.writeString(failedOut, includePattern(failed), StandardCharsets.UTF_8);
            }
            return status;
        } catch (final IOException e) {
            out.println("cannot read or write: " + e.getMessage());
            return 2;
        } catch (final IllegalArgumentException | ClassCastException | NullPointerException e) {
            out.println("bad input: " + e.getMessage());
            return 2;
        }
    }

    /** Prints one run against the baseline. */
    private static void compare(
            final Run run, final Map<String, BaselineEntry> baseline, final double maxSlowdown, final PrintStream out) {
        final Score calibration = run.calibration();
        out.printf(
                Locale.ROOT,
                "calibration %.3f %s; fail above %.1fx slower than baseline (normalised)%n",
                calibration.score(),
                calibration.unit(),
                maxSlowdown);
        out.printf(
                Locale.ROOT,
                "%-52s %6s %12s %12s %8s %10s %10s %7s  %s%n",
                "benchmark",
                "mode",
                "score",
                "p99",
                "unit",
                "norm",
                "baseline",
                "slower",
                "status");
        for (final Score s : run.scores()) {
            if (s.isCalibration()) {
                continue;
            }
            final double norm = s.normalized(calibration.speed());
            final BaselineEntry base = baseline.get(s.key());
            final double slower = slowdown(s, base, calibration);
            final String status;
            if (base == null) {
                status = "NEW";
            } else if (!base.unit().equals(s.unit()) || !base.mode().equals(s.mode())) {
                status = "FAIL (baseline is " + base.mode() + " " + base.unit() + ")";
            } else {
                status = slower > maxSlowdown || Double.isNaN(slower) ? "FAIL" : "ok";
            }
            out.printf(
                    Locale.ROOT,
                    "%-52s %6s %12.3f %12s %8s %10.4g %10s %7s  %s%n",
                    s.key(),
                    s.mode(),
                    s.score(),
                    Double.isNaN(s.p99()) ? "-" : String.format(Locale.ROOT, "%.3f", s.p99()),
                    s.unit(),
                    norm,
                    base == null ? "-" : String.format(Locale.ROOT, "%.4g", base.normalized()),
                    Double.isNaN(slower) ? "-" : String.format(Locale.ROOT, "%.2fx", slower),
                    status);
        }
    }

    /**
     * The verdict over all runs: each baseline benchmark counts with its best run, and fails when that best is still
     * over {@code maxSlowdown}, when it was measured in a different mode or unit, or when no run measured it. The keys
     * that failed are added to {@code failed}.
     */
    private static int verdict(
            final List<Run> runs,
            final Map<String, BaselineEntry> baseline,
            final double maxSlowdown,
            final List<String> failed,
            final PrintStream out) {
        final Map<String, Double> best = new LinkedHashMap<>();
        for (final Run run : runs) {
            for (final Score s : run.scores()) {
                final BaselineEntry base = baseline.get(s.key());
                if (s.isCalibration() || base == null) {
                    continue;
                }
                final double slower = slowdown(s, base, run.calibration());
                best.merge(s.key(), slower, (a, b) -> Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b));
            }
        }
        for (final String key : baseline.keySet()) {
            final Double slower = best.get(key);
            if (slower == null) {
                out.printf(Locale.ROOT, "%-52s %s%n", key, "FAIL (in baseline, missing from every run)");
                failed.add(key);
            } else if (Double.isNaN(slower) || slower > maxSlowdown) {
                if (runs.size() > 1) {
                    out.printf(Locale.ROOT, "%-52s FAIL in every run (best %.2fx)%n", key, slower);
                }
                failed.add(key);
            }
        }
        out.println(failed.isEmpty() ? "smoke check passed" : "smoke check FAILED: " + failed.size() + " benchmark(s)");
        return failed.isEmpty() ? 0 : 1;
    }

    /** Normalised slowdown of {@code s} against {@code base}; NaN when they are not comparable (mode or unit). */
    private static double slowdown(final Score s, final BaselineEntry base, final Score calibration) {
        if (base == null || !base.unit().equals(s.unit()) || !base.mode().equals(s.mode())) {
            return Double.NaN;
        }
        return s.slowdown(base.normalized(), s.normalized(calibration.speed()));
    }

    /**
     * A JMH include pattern (a regular expression over benchmark names) matching the benchmarks behind these keys,
     * e.g. {@code RecallBenchmark\.recall$}; parameters in the key are dropped (the caller passes the same
     * {@code -p} options again). Empty when nothing failed.
     */
    static String includePattern(final List<String> keys) {
        final List<String> parts = new ArrayList<>();
        for (final String key : keys) {
            final int params = key.indexOf(" [");
            final String name = params < 0 ? key : key.substring(0, params);
            final String part = name.replace(".", "\\.") + "$";
            if (!parts.contains(part)) {
                parts.add(part);
            }
        }
        return String.join("|", parts);
    }

    /** One JMH run: its scores and its own calibration entry. */
    private record Run(List<Score> scores, Score calibration) {}

    private static Score calibration(final List<Score> scores) {
        final List<Score> found = scores.stream().filter(Score::isCalibration).toList();
        if (found.size() != 1 || !(found.get(0).score() > 0)) {
            throw new IllegalArgumentException("the results need exactly one " + Score.CALIBRATION
                    + "* entry with a positive score, found " + found);
        }
        return found.get(0);
    }

    /** A baseline benchmark, normalised by the calibration of the run it came from. */
    record BaselineEntry(String mode, String unit, double normalized) {}

    /** The committed baseline: how its calibration was measured, and its normalised benchmarks by key. */
    record Baseline(String calibrationMode, String calibrationUnit, Map<String, BaselineEntry> entries) {}

    @SuppressWarnings("unchecked")
    static Baseline readBaseline(final String text) {
        final Map<String, Object> root = (Map<String, Object>) Json.parse(text);
        final Object format = root.get("format");
        if (!(format instanceof Double f) || f.intValue() != FORMAT) {
            throw new IllegalArgumentException("baseline format " + format + " is not " + FORMAT);
        }
        final Map<String, BaselineEntry> entries = new LinkedHashMap<>();
        for (final Object o : (List<Object>) root.get("benchmarks")) {
            final Map<String, Object> e = (Map<String, Object>) o;
            entries.put(
                    (String) e.get("key"),
                    new BaselineEntry((String) e.get("mode"), (String) e.get("unit"), (Double) e.get("normalized")));
        }
        final Map<String, Object> calibration = (Map<String, Object>) root.get("calibration");
        return new Baseline((String) calibration.get("mode"), (String) calibration.get("unit"), entries);
    }

    static String baselineJson(final List<Score> scores, final Score calibration) {
        final StringBuilder out = new StringBuilder();
        out.append("{\n  \"format\": ").append(FORMAT).append(",\n");
        out.append("  \"note\": \"normalised = score / calibration speed (throughput) or score x calibration speed ")
                .append("(time); regenerate with .ci/jmh-smoke.sh --write-baseline\",\n");
        out.append(String.format(
                Locale.ROOT,
                "  \"calibration\": {\"mode\": %s, \"unit\": %s, \"score\": %.6g},%n",
                Json.quote(calibration.mode()),
                Json.quote(calibration.unit()),
                calibration.score()));
        out.append("  \"benchmarks\": [");
        boolean first = true;
        for (final Score s : scores) {
            if (s.isCalibration()) {
                continue;
            }
            out.append(first ? "\n" : ",\n");
            first = false;
            out.append(String.format(
                    Locale.ROOT,
                    "    {\"key\": %s, \"mode\": %s, \"unit\": %s, \"score\": %.6g, \"normalized\": %.6g}",
                    Json.quote(s.key()),
                    Json.quote(s.mode()),
                    Json.quote(s.unit()),
                    s.score(),
                    s.normalized(calibration.speed())));
        }
        return out.append("\n  ]\n}\n").toString();
    }

    private static String read(final Path path) throws IOException {
        return Files.readString(path, StandardCharsets.UTF_8);
    }
}
