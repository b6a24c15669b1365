package ai.continuum.benchmarks.engine;

import ai.continuum.benchmarks.data.TurnGenerator;
import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.LearnOutcome;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.Turn;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine learn throughput on one thread, docs/DESIGN.md section 8: extract + delta + apply of turns with 5 to 8 concepts, target
 * >= 50,000 turns/s. {@link #prepare} measures extraction alone; {@link #regexBaseline} runs one JDK regular
 * expression for Title-Case phrases over the same text, a floor for what scanning the text costs.
 *
 * <p>Turns come from a fixed pre-built array ({@value #TURNS} turns over a 20,000-concept Zipf vocabulary). Each call
 * learns one of them under a fresh memory id, so every call stores a new memory, as in production. The engine is
 * recreated for every iteration (and first taught {@value #WARM_TURNS} turns) so that memory growth stays bounded
 * however long the run. Memory terms are indexed behind learn, on the engine's term-indexing thread; each iteration
 * ends by printing how long memories waited for it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@Threads(1)
public class LearnBenchmark {
    static final int TURNS = 8192;
    static final int WARM_TURNS = 5_000;
    static final int VOCABULARY = 20_000;
    static final String TENANT = "bench";

    /** Pre-built turns, shared; never modified after setup. */
    @State(Scope.Benchmark)
    public static class Turns {
        Turn[] turns;

        @Setup(Level.Trial)
        public void build() {
            final TurnGenerator generator = new TurnGenerator(7L, VOCABULARY, 1.0);
            turns = new Turn[TURNS];
            for (int i = 0; i < TURNS; i++) {
                turns[i] = generator.next(i + 1L, 1_767_225_600_000L + i * 1000L);
            }
        }
    }

    /** The engine learnt into and the cursor over the turns; used by the one measuring thread. */
    @State(Scope.Thread)
    public static class EngineState {
        MemoryEngine engine;
        long nextMemoryId;
        int next;

        @Setup(Level.Iteration)
        public void open(final Turns turns) {
            engine = MemoryEngine.create(EngineConfig.defaults().withExpectedConcepts(4 * VOCABULARY));
            nextMemoryId = 1;
            for (int i = 0; i < WARM_TURNS; i++) {
                engine.learn(TENANT, freshTurn(turns));
            }
        }

        /**
         * Prints how long the iteration's last memories waited for their terms to be indexed (behind learn; a recall
         * would have indexed them itself), the visibility delay of the term index at this learn rate.
         */
        @TearDown(Level.Iteration)
        public void close() {
            final long[] delays = engine.recentTermIndexDelaysNanos();
            Arrays.sort(delays);
            if (delays.length > 0) {
                System.out.printf(
                        "term index delay over the last %d memories: p50 %.1f us, p99 %.1f us, max %.1f us%n",
                        delays.length,
                        delays[delays.length / 2] / 1e3,
                        delays[(int) (delays.length * 0.99)] / 1e3,
                        delays[delays.length - 1] / 1e3);
            }
            engine.close();
        }

        /** The next pre-built turn, re-identified as a memory the engine has not seen. */
        Turn freshTurn(final Turns turns) {
            final Turn t = turns.turns[next];
            next = (next + 1) & (TURNS - 1);
            return new Turn(
                    nextMemoryId++,
                    t.userText(),
                    t.aiText(),
                    t.thinking(),
                    t.sessionId(),
                    t.metadata(),
                    t.timeMillis());
        }
    }

    /** An empty engine for extraction alone, which reads no state; built once per trial. */
    @State(Scope.Benchmark)
    public static class Extractor {
        MemoryEngine engine;
        int next;

        @Setup(Level.Trial)
        public void open() {
            engine = MemoryEngine.create(EngineConfig.defaults());
        }

        @TearDown(Level.Trial)
        public void close() {
            engine.close();
        }
    }

    /** The extraction baseline's compiled expression and cursor. */
    @State(Scope.Thread)
    public static class Cursor {
        static final Pattern PHRASE = Pattern.compile("[A-Z][a-z]+(?:\\s+[A-Z][a-z]+)+");
        int next;
    }

    @Benchmark
    public LearnOutcome learn(final EngineState state, final Turns turns) {
        return state.engine.learn(TENANT, state.freshTurn(turns));
    }

    @Benchmark
    public Delta prepare(final Extractor extractor, final Turns turns) {
        final Turn t = turns.turns[extractor.next];
        extractor.next = (extractor.next + 1) & (TURNS - 1);
        return extractor.engine.prepare(t);
    }

    @Benchmark
    public int regexBaseline(final Cursor cursor, final Turns turns) {
        final Turn t = turns.turns[cursor.next];
        cursor.next = (cursor.next + 1) & (TURNS - 1);
        int found = 0;
        final Matcher user = Cursor.PHRASE.matcher(t.userText());
        while (user.find()) {
            found += user.group().length();
        }
        final Matcher ai = Cursor.PHRASE.matcher(t.aiText());
        while (ai.find()) {
            found += ai.group().length();
        }
        return found;
    }
}
