package ai.continuum.server.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Outermost filter: once a request's answer is written, and other requests are being served on every other carrier
 * thread, the connection's virtual thread steps to the back of the scheduler's queue before it reads that
 * connection's next request, so busy keep-alive connections take turns.
 *
 * <p>Why: each connection is served by one virtual thread on a few carrier threads (as many as cores). A thread that
 * finds its client's next request already waiting reads it without parking, so under load the connections whose
 * clients answer fastest keep a carrier while the others' requests wait in the queue. Measured with eight keep-alive
 * recall connections on two cores (benchmarks/RESULTS.md, "Keep-alive connections take turns"): in 5 s one connection
 * got 9,434 answers and another 1,939, and 1% of requests waited 20 ms or more between arriving and being answered,
 * though the handler itself took 0.36 ms at its 99th percentile. Taking turns, every connection got 4,026-5,002, the
 * 99th percentile of that wait fell to 10 ms, and the rate stayed the same: a fair queue's higher median for a
 * shorter tail.
 *
 * <p>Invariants: the turn is taken after the whole chain, so the answer (and its access-log line) is complete before
 * the thread yields; it never delays the answer it follows. It is taken only while the other carriers look busy,
 * counted as requests inside this filter on other threads (at least carriers - 1): a thread can wait for a carrier
 * only while none is idle, since an idle one would take it. The count is an estimate (a carrier reading a request's
 * headers is not in it; a request parked on the database is), which costs at worst a skipped or a needless yield,
 * both harmless; and one agent calling alone never yields. Platform threads (tests' direct clients) take no turn.
 */
public final class TurnTakingFilter implements Filter {
    private final int carriers;
    private final BooleanSupplier onVirtualThread;
    private final Runnable takeTurn;
    private final AtomicInteger inFlight = new AtomicInteger();

    public TurnTakingFilter() {
        this(
                Integer.getInteger(
                        "jdk.virtualThreadScheduler.parallelism",
                        Runtime.getRuntime().availableProcessors()),
                () -> Thread.currentThread().isVirtual(),
                TurnTakingFilter::yieldCarrier);
    }

    /**
     * For tests: {@code takeTurn} runs after a request served on a thread {@code onVirtualThread} accepts, while at
     * least {@code carriers - 1} other requests are inside this filter.
     */
    TurnTakingFilter(final int carriers, final BooleanSupplier onVirtualThread, final Runnable takeTurn) {
        if (carriers < 1) {
            throw new IllegalArgumentException("carriers must be at least 1, not " + carriers);
        }
        this.carriers = carriers;
        this.onVirtualThread = onVirtualThread;
        this.takeTurn = takeTurn;
    }

    @Override
    public void filter(final FilterChain chain, final RoutingRequest req, final RoutingResponse res) {
        inFlight.incrementAndGet();
        try {
            chain.proceed();
        } finally {
            final int others = inFlight.decrementAndGet();
            if (others >= carriers - 1 && onVirtualThread.getAsBoolean()) {
                takeTurn.run();
            }
        }
    }

    // A virtual thread's yield re-queues it behind the threads already waiting for a carrier: fairness between
    // connections, not a correctness dependency on the scheduler (nothing waits for this thread to run again).
    @SuppressWarnings("ThreadPriorityCheck")
    private static void yieldCarrier() {
        Thread.yield();
    }
}
