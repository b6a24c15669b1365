package ai.continuum.benchmarks.engine;

import ai.continuum.engine.semantic.VectorTable;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One dot product of two quantised sentence vectors ({@link VectorTable#dot}), the inner step of the semantic index's
 * scan, of its graph search and of the diversification of its results: thousands per recall. Cycles through
 * {@value #VECTORS} vectors so the inputs are not constants the JIT could fold.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class QuantisedDotBenchmark {
    static final int VECTORS = 1024;

    @Param({"384"})
    public int dimensions;

    VectorTable table;
    byte[][] vectors;
    int next;

    @Setup
    public void vectors() {
        table = new VectorTable(dimensions);
        final SplittableRandom random = new SplittableRandom(42);
        vectors = new byte[VECTORS][dimensions];
        for (final byte[] v : vectors) {
            for (int d = 0; d < dimensions; d++) {
                v[d] = (byte) random.nextInt(-127, 128);
            }
        }
    }

    @Benchmark
    public float dot() {
        final int i = next;
        next = (i + 1) & (VECTORS - 1);
        return table.dot(vectors[i], 1f, vectors[(i + 7) & (VECTORS - 1)], 1f);
    }
}
