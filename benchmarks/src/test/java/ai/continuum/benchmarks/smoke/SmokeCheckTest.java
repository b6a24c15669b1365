package ai.continuum.benchmarks.smoke;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmokeCheckTest {
    @TempDir
    Path dir;

    @Test
    void shouldPassWhenRunMatchesItsOwnBaseline() throws IOException {
        final Path run = write("run.json", jmh(1000.0, 10.0, 50_000.0));
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(run, baseline, "--write-baseline"));
        assertEquals(0, check(run, baseline));
    }

    @Test
    void shouldPassWhenTheWholeMachineIsSlower() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("fast.json", jmh(1000.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        // Five times slower everywhere, calibration included: normalised scores are unchanged.
        assertEquals(0, check(write("slow.json", jmh(200.0, 50.0, 10_000.0)), baseline));
    }

    @Test
    void shouldFailWhenLatencyRegressesMoreThanThreefold() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("base.json", jmh(1000.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        assertEquals(0, check(write("ok.json", jmh(1000.0, 29.0, 50_000.0)), baseline));
        assertEquals(1, check(write("bad.json", jmh(1000.0, 31.0, 50_000.0)), baseline));
    }

    @Test
    void shouldFailWhenThroughputDropsMoreThanThreefold() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("base.json", jmh(1000.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        assertEquals(1, check(write("bad.json", jmh(1000.0, 10.0, 16_000.0)), baseline));
        assertEquals(0, check(write("bad.json", jmh(1000.0, 10.0, 16_000.0)), baseline, "--max-slowdown", "4"));
    }

    @Test
    void shouldFailWhenABaselineBenchmarkIsMissingFromTheRun() throws IOException {
        final Path baseline = dir.resolve("baseline.json");
        assertEquals(0, check(write("base.json", jmh(1000.0, 10.0, 50_000.0)), baseline, "--write-baseline"));
        final String onlyCalibration = "[" + entry("ai.continuum.benchmarks.engine.CalibrationBenchmark.calibrate",
            "thrpt", "ops/s", 1000.0, "{}", "") + "]";
        assertEquals(1, check(write("partial.json", onlyCalibration), baseline));
    }

    @Test
    void shouldRejectResultsWithoutCalibration() throws IOException {
        final String noCalibration = "[" + entry("ai.continuum.benchmarks.engine.LearnBenchmark.learn", "thrpt",
            "ops/s", 5.0, "{}", "") + "]";
        assertEquals(2, check(write("x.json", noCalibration), dir.resolve("baseline.json")));
    }

    @Test
    void shouldCompareTheMedianWhenModeIsSample() {
        final var scores = Score.fromJmh(Json.parse(jmh(1000.0, 10.0, 50_000.0)));
        final Score recall = scores.stream().filter(s -> s.key().startsWith("RecallBenchmark")).findFirst()
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

    private Path write(final String name, final String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** A JMH-shaped result file: calibration (ops/s), recall (sample, us/op, median given) and learn (ops/s). */
    private static String jmh(final double calibration, final double recallMedianUs, final double learnOps) {
        return "[" + entry("ai.continuum.benchmarks.engine.CalibrationBenchmark.calibrate", "thrpt", "ops/s",
            calibration, "{}", "")
            + "," + entry("ai.continuum.benchmarks.engine.RecallBenchmark.recall", "sample", "us/op",
            recallMedianUs * 1.5, "{\"graph\": \"100k/500k\"}", String.format(Locale.ROOT,
                ", \"scorePercentiles\": {\"0.0\": 1.0, \"50.0\": %s, \"99.0\": %s, \"100.0\": 900.0}",
                recallMedianUs, recallMedianUs * 4))
            + "," + entry("ai.continuum.benchmarks.engine.LearnBenchmark.learn", "thrpt", "ops/s", learnOps, "{}", "")
            + "]";
    }

    private static String entry(final String benchmark, final String mode, final String unit, final double score,
                                final String params, final String percentiles) {
        return String.format(Locale.ROOT, """
            {"jmhVersion": "1.37", "benchmark": "%s", "mode": "%s", "threads": 1, "forks": 1,
             "params": %s,
             "primaryMetric": {"score": %s, "scoreError": "NaN", "scoreConfidence": [1.0, 2.0],
                               "scoreUnit": "%s"%s, "rawData": [[1.0, 2.0]]},
             "secondaryMetrics": {}}
            """, benchmark, mode, params, score, unit, percentiles);
    }
}
