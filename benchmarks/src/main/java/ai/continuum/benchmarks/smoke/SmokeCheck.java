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
 * <p>Usage: {@code SmokeCheck <results.json> <baseline.json> [--max-slowdown 3] [--write-baseline]}. With
 * {@code --write-baseline} the results become the new baseline instead of being checked. Exit status: 0 passed,
 * 1 regression, 2 bad input.
 */
public final class SmokeCheck {
    static final double DEFAULT_MAX_SLOWDOWN = 3.0;
    static final int FORMAT = 2;

    private SmokeCheck() {
    }

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
                default -> positional.add(args[i]);
            }
        }
        if (positional.size() != 2 || !(maxSlowdown > 1.0)) {
            out.println("usage: SmokeCheck <results.json> <baseline.json> [--max-slowdown N>1] [--write-baseline]");
            return 2;
        }
        try {
            final List<Score> scores = Score.fromJmh(Json.parse(read(Path.of(positional.get(0)))));
            final Score calibration = calibration(scores);
            final Path baselinePath = Path.of(positional.get(1));
            if (write) {
                Files.writeString(baselinePath, baselineJson(scores, calibration), StandardCharsets.UTF_8);
                out.printf(Locale.ROOT, "wrote %s: %d benchmarks, calibration %.3f %s%n", baselinePath,
                    scores.size() - 1, calibration.score(), calibration.unit());
                return 0;
            }
            final Baseline baseline = readBaseline(read(baselinePath));
            if (!baseline.calibrationMode().equals(calibration.mode())
                || !baseline.calibrationUnit().equals(calibration.unit())) {
                out.printf(Locale.ROOT, "calibration is %s %s here but %s %s in the baseline; regenerate it%n",
                    calibration.mode(), calibration.unit(), baseline.calibrationMode(), baseline.calibrationUnit());
                return 2;
            }
            return compare(scores, calibration, baseline.entries(), maxSlowdown, out);
        } catch (final IOException e) {
            out.println("cannot read or write: " + e.getMessage());
            return 2;
        } catch (final IllegalArgumentException | ClassCastException | NullPointerException e) {
            out.println("bad input: " + e.getMessage());
            return 2;
        }
    }

    private static int compare(final List<Score> scores, final Score calibration,
                               final Map<String, BaselineEntry> baseline, final double maxSlowdown,
                               final PrintStream out) {
        out.printf(Locale.ROOT, "calibration %.3f %s; fail above %.1fx slower than baseline (normalised)%n",
            calibration.score(), calibration.unit(), maxSlowdown);
        out.printf(Locale.ROOT, "%-52s %6s %12s %12s %8s %10s %10s %7s  %s%n", "benchmark", "mode", "score", "p99",
            "unit", "norm", "baseline", "slower", "status");
        int failures = 0;
        final Map<String, BaselineEntry> unseen = new LinkedHashMap<>(baseline);
        for (final Score s : scores) {
            if (s.isCalibration()) {
                continue;
            }
            final double norm = s.normalized(calibration.speed());
            final BaselineEntry base = unseen.remove(s.key());
            String status;
            double slower = Double.NaN;
            if (base == null) {
                status = "NEW";
            } else if (!base.unit().equals(s.unit()) || !base.mode().equals(s.mode())) {
                status = "FAIL (baseline is " + base.mode() + " " + base.unit() + ")";
                failures++;
            } else {
                slower = s.slowdown(base.normalized(), norm);
                status = slower > maxSlowdown || Double.isNaN(slower) ? "FAIL" : "ok";
                failures += "FAIL".equals(status) ? 1 : 0;
            }
            out.printf(Locale.ROOT, "%-52s %6s %12.3f %12s %8s %10.4g %10s %7s  %s%n", s.key(), s.mode(), s.score(),
                Double.isNaN(s.p99()) ? "-" : String.format(Locale.ROOT, "%.3f", s.p99()), s.unit(), norm,
                base == null ? "-" : String.format(Locale.ROOT, "%.4g", base.normalized()),
                Double.isNaN(slower) ? "-" : String.format(Locale.ROOT, "%.2fx", slower), status);
        }
        for (final String missing : unseen.keySet()) {
            out.printf(Locale.ROOT, "%-52s %s%n", missing, "FAIL (in baseline, missing from this run)");
            failures++;
        }
        out.println(failures == 0 ? "smoke check passed" : "smoke check FAILED: " + failures + " benchmark(s)");
        return failures == 0 ? 0 : 1;
    }

    private static Score calibration(final List<Score> scores) {
        final List<Score> found = scores.stream().filter(Score::isCalibration).toList();
        if (found.size() != 1 || !(found.get(0).score() > 0)) {
            throw new IllegalArgumentException("the results need exactly one " + Score.CALIBRATION
                + "* entry with a positive score, found " + found);
        }
        return found.get(0);
    }

    /** A baseline benchmark, normalised by the calibration of the run it came from. */
    record BaselineEntry(String mode, String unit, double normalized) {
    }

    /** The committed baseline: how its calibration was measured, and its normalised benchmarks by key. */
    record Baseline(String calibrationMode, String calibrationUnit, Map<String, BaselineEntry> entries) {
    }

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
            entries.put((String) e.get("key"), new BaselineEntry((String) e.get("mode"), (String) e.get("unit"),
                (Double) e.get("normalized")));
        }
        final Map<String, Object> calibration = (Map<String, Object>) root.get("calibration");
        return new Baseline((String) calibration.get("mode"), (String) calibration.get("unit"), entries);
    }

    static String baselineJson(final List<Score> scores, final Score calibration) {
        final StringBuilder out = new StringBuilder();
        out.append("{\n  \"format\": ").append(FORMAT).append(",\n");
        out.append("  \"note\": \"normalised = score / calibration speed (throughput) or score x calibration speed ")
            .append("(time); regenerate with .ci/jmh-smoke.sh --write-baseline\",\n");
        out.append(String.format(Locale.ROOT, "  \"calibration\": {\"mode\": %s, \"unit\": %s, \"score\": %.6g},%n",
            Json.quote(calibration.mode()), Json.quote(calibration.unit()), calibration.score()));
        out.append("  \"benchmarks\": [");
        boolean first = true;
        for (final Score s : scores) {
            if (s.isCalibration()) {
                continue;
            }
            out.append(first ? "\n" : ",\n");
            first = false;
            out.append(String.format(Locale.ROOT,
                "    {\"key\": %s, \"mode\": %s, \"unit\": %s, \"score\": %.6g, \"normalized\": %.6g}",
                Json.quote(s.key()), Json.quote(s.mode()), Json.quote(s.unit()), s.score(),
                s.normalized(calibration.speed())));
        }
        return out.append("\n  ]\n}\n").toString();
    }

    private static String read(final Path path) throws IOException {
        return Files.readString(path, StandardCharsets.UTF_8);
    }
}
