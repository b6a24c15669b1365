package ai.continuum.benchmarks.engine;

import ai.continuum.engine.extract.QueryTerms;
import ai.continuum.engine.extract.TimeExpression;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The first step of every recall on its own: reading a query's concept names, keywords and named time
 * ({@code QueryTerms.parse} into the terms a recall scratch keeps, and {@code TimeExpression.parse}, as
 * {@code MemoryEngine.recall} calls them). Its allocation
 * ({@code -prof gc}) is part of recall's, and does not depend on the graph, so it is measured here per query shape:
 * Title-Case names, a name the engine has never seen, lower-case words only, a long question naming several names,
 * and a question naming a time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class QueryTermsBenchmark {
    @Param({
        "What do you know about Apache Kafka and Stream Processing?",
        "Tell me about Zorvex Quillan",
        "kafka streams latency",
        "How does Graph Databases relate to Vector Search and Hash Chains in Production Systems?",
        "What did Maya do the week after the Lisbon trip in March 2024?"
    })
    public String query;

    /** Reused from call to call, as a pooled recall scratch reuses its own. */
    private final QueryTerms terms = new QueryTerms();

    @Benchmark
    public void parse(final Blackhole out) {
        out.consume(terms.parse(query));
        out.consume(TimeExpression.parse(query));
    }
}
