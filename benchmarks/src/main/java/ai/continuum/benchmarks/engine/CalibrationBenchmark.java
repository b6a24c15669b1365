package ai.continuum.benchmarks.engine;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A fixed pure-JDK workload whose speed reflects the machine, not the engine: the CI smoke check divides every engine
 * score by this one from the same run, so a slower or busier machine does not read as a regression. One operation
 * mixes what recall and learn spend their time on: dependent random reads over a 32 MiB table (cache misses, like a
 * graph walk), integer hash mixing, and sorting a small array (branches). Sampled per call, so its median, like the
 * engine's, hardly moves when other processes preempt the benchmark thread now and then.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CalibrationBenchmark {
    private static final int TABLE_INTS = 8 << 20;
    private static final int CHASE_STEPS = 256;
    private static final int SORT_LENGTH = 256;

    /** A random single-cycle permutation to chase and a small array to sort; built once, read only. */
    @State(Scope.Benchmark)
    public static class Workload {
        int[] cycle;
        int[] unsorted;
        int[] scratch;
        int start;

        @Setup(Level.Trial)
        public void build() {
            final SplittableRandom random = new SplittableRandom(1L);
            final int[] order = new int[TABLE_INTS];
            for (int i = 0; i < TABLE_INTS; i++) {
                order[i] = i;
            }
            for (int i = TABLE_INTS - 1; i > 0; i--) {
                final int j = random.nextInt(i + 1);
                final int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            // Sattolo-style single cycle: each slot points at the next slot in the shuffled order.
            cycle = new int[TABLE_INTS];
            for (int i = 0; i < TABLE_INTS; i++) {
                cycle[order[i]] = order[(i + 1) % TABLE_INTS];
            }
            unsorted = random.ints(SORT_LENGTH).toArray();
            scratch = new int[SORT_LENGTH];
        }
    }

    @Benchmark
    public long calibrate(final Workload w) {
        int at = w.start;
        long hash = 0;
        for (int i = 0; i < CHASE_STEPS; i++) {
            at = w.cycle[at];
            hash = (hash ^ at) * 0x9E3779B97F4A7C15L;
            hash ^= hash >>> 29;
        }
        w.start = at;
        System.arraycopy(w.unsorted, 0, w.scratch, 0, SORT_LENGTH);
        w.scratch[(int) (hash & (SORT_LENGTH - 1))] ^= (int) hash;
        Arrays.sort(w.scratch);
        return hash + w.scratch[SORT_LENGTH / 2];
    }
}
