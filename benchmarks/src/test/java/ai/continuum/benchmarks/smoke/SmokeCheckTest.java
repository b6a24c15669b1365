package ai.continuum.benchmarks.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeCheckTest {
    private static final String CALIBRATION = "ai.continuum.benchmarks.engine.CalibrationBenchmark.calibrate";

    @TempDir
    Path dir;

    @Test
    void shouldPassWhenRunMatchesItsOwnBaseline() throws IOException {
        final Path run = write("run.json", jmh(20.0, 10.0, 50_000.0));
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(run, baseline, "--write-baseline"));
        assertEquals(0, check(run, baseline));
    }

    @Test
    void shouldPassWhenTheWholeMachineIsSlower() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("fast.json", jmh(20.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        // Five times slower everywhere, calibration included: normalised scores are unchanged.
        assertEquals(0, check(write("slow.json", jmh(100.0, 50.0, 10_000.0)), baseline));
        // The same engine figures on a machine five times faster would be a fivefold regression.
        assertEquals(1, check(write("fast-machine.json", jmh(4.0, 50.0, 10_000.0)), baseline));
    }

    @Test
    void shouldFailWhenLatencyRegressesMoreThanThreefold() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("base.json", jmh(20.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        assertEquals(0, check(write("ok.json", jmh(20.0, 29.0, 50_000.0)), baseline));
        assertEquals(1, check(write("bad.json", jmh(20.0, 31.0, 50_000.0)), baseline));
    }

    @Test
    void shouldFailWhenThroughputDropsMoreThanThreefold() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("base.json", jmh(20.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        assertEquals(1, check(write("bad.json", jmh(20.0, 10.0, 16_000.0)), baseline));
        assertEquals(0, check(write("bad.json", jmh(20.0, 10.0, 16_000.0)), baseline, "--max-slowdown", "4"));
    }

    @Test
    void shouldFailWhenABaselineBenchmarkIsMissingFromTheRun() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("base.json", jmh(20.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        final String onlyCalibration = "[" + entry(CALIBRATION, "sample", "us/op", 20.0, "{}", percentiles(20.0)) + "]";
        assertEquals(1, check(write("partial.json", onlyCalibration), baseline));
    }

    @Test
    void shouldRefuseABaselineWhoseCalibrationWasMeasuredDifferently() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("base.json", jmh(20.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        final String throughputCalibration =
                jmhWith(entry(CALIBRATION, "thrpt", "ops/s", 50_000.0, "{}", ""), 10.0, 50_000.0);
        assertEquals(2, check(write("other.json", throughputCalibration), baseline));
    }

    @Test
    void shouldRejectResultsWithoutCalibration() throws IOException {
        final String noCalibration = "["
                + entry("ai.continuum.benchmarks.engine.LearnBenchmark.learn", "thrpt", "ops/s", 5.0, "{}", "") + "]";
        assertEquals(2, check(write("x.json", noCalibration), dir.resolve("baseline.json")));
    }

    @Test
    void shouldPassWhenAFailingBenchmarkRecoversOnItsRerun() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("base.json", jmh(20.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        final Path failed = dir.resolve("failed.txt");
        final Path busy = write("busy.json", jmh(20.0, 31.0, 50_000.0));
        assertEquals(1, check(busy, baseline, "--failed", failed.toString()));
        assertEquals("RecallBenchmark\\.recall$", Files.readString(failed));
        // The re-run measured only the calibration and the failing benchmark, on a machine twice as slow overall.
        final String rerun = "[" + entry(CALIBRATION, "sample", "us/op", 40.0, "{}", percentiles(40.0)) + ","
                + entry(
                        "ai.continuum.benchmarks.engine.RecallBenchmark.recall",
                        "sample",
                        "us/op",
                        30.0,
                        "{\"graph\": \"100k/500k\"}",
                        percentiles(22.0))
                + "]";
        assertEquals(0, checkRuns(baseline, "--failed", failed.toString(), busy, write("rerun.json", rerun)));
        assertEquals("", Files.readString(failed));
    }

    @Test
    void shouldFailWhenABenchmarkIsTooSlowInEveryRun() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("base.json", jmh(20.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        final Path first = write("first.json", jmh(20.0, 31.0, 50_000.0));
        final Path second = write("second.json", jmh(20.0, 35.0, 50_000.0));
        assertEquals(1, checkRuns(baseline, null, null, first, second));
    }

    @Test
    void shouldNameEveryFailingBenchmarkOnceInTheIncludePattern() {
        assertEquals(
                "RecallBenchmark\\.recall$|LearnBenchmark\\.learn$",
                SmokeCheck.includePattern(List.of(
                        "RecallBenchmark.recall [graph=100k/500k]",
                        "RecallBenchmark.recall [graph=1M/5M]",
                        "LearnBenchmark.learn")));
    }

    @Test
    void shouldCompareTheBestIterationWhenModeIsThroughput() {
        final var scores = Score.fromJmh(Json.parse(jmh(20.0, 10.0, 50_000.0)));
        final Score learn = scores.stream()
                .filter(s -> s.key().equals("LearnBenchmark.learn"))
                .findFirst()
                .orElseThrow();
        assertEquals(50_000.0, learn.score());
    }

    @Test
    void shouldCompareTheMedianWhenModeIsSample() {
        final var scores = Score.fromJmh(Json.parse(jmh(20.0, 10.0, 50_000.0)));
        final Score recall = scores.stream()
                .filter(s -> s.key().startsWith("RecallBenchmark"))
                .findFirst()
                .orElseThrow();
        assertEquals("RecallBenchmark.recall [graph=100k/500k]", recall.key());
        assertEquals(10.0, recall.score());
        assertEquals(40.0, recall.p99());
    }

    private int check(final Path run, final Path baseline, final String... extra) {
        final String[] args = new String[2 + extra.length];
        args[0] = run.toString();
        args[1] = baseline.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int status = SmokeCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertTrue(out.size() > 0);
        return status;
    }

    private int checkRuns(final Path baseline, final String flag, final String value, final Path... runs) {
        final List<String> args = new ArrayList<>();
        for (final Path run : runs) {
            args.add(run.toString());
        }
        args.add(baseline.toString());
        if (flag != null) {
            args.add(flag);
            args.add(value);
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int status =
                SmokeCheck.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertTrue(out.size() > 0);
        return status;
    }

    private Path write(final String name, final String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /**
     * A JMH-shaped result file: calibration and recall (sample, us/op, medians given) and learn (ops/s). Throughput
     * entries carry a mean of 0.9x the given figure and iterations of 0.8x and 1x, so the best iteration is the figure.
     */
    private static String jmh(final double calibrationUs, final double recallMedianUs, final double learnOps) {
        return jmhWith(
                entry(CALIBRATION, "sample", "us/op", calibrationUs, "{}", percentiles(calibrationUs)),
                recallMedianUs,
                learnOps);
    }

    private static String jmhWith(final String calibration, final double recallMedianUs, final double learnOps) {
        return "[" + calibration
                + ","
                + entry(
                        "ai.continuum.benchmarks.engine.RecallBenchmark.recall",
                        "sample",
                        "us/op",
                        recallMedianUs * 1.5,
                        "{\"graph\": \"100k/500k\"}",
                        percentiles(recallMedianUs))
                + ","
                + entry("ai.continuum.benchmarks.engine.LearnBenchmark.learn", "thrpt", "ops/s", learnOps, "{}", "")
                + "]";
    }

    private static String percentiles(final double median) {
        return String.format(
                Locale.ROOT,
                ", \"scorePercentiles\": {\"0.0\": 1.0, \"50.0\": %s, \"99.0\": %s, \"100.0\": 900.0}",
                median,
                median * 4);
    }

    private static String entry(
            final String benchmark,
            final String mode,
            final String unit,
            final double score,
            final String params,
            final String percentiles) {
        return String.format(
                Locale.ROOT, """
            {"jmhVersion": "1.37", "benchmark": "%s", "mode": "%s", "threads": 1, "forks": 1,
             "params": %s,
             "primaryMetric": {"score": %s, "scoreError": "NaN", "scoreConfidence": [1.0, 2.0],
                               "scoreUnit": "%s"%s, "rawData": [[%s, %s]]},
             "secondaryMetrics": {}}
            """, benchmark, mode, params, score * 0.9, unit, percentiles, score * 0.8, score);
    }
}
