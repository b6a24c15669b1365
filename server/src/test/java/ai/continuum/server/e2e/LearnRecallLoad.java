package ai.continuum.server.e2e;

import ai.continuum.server.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded load of durable learns (each with a text no other learn uses, and an {@code Idempotency-Key} of its own)
 * and recalls against a running service, recording every answer with the phase of the test it was sent in. Learners pause briefly after a refusal, as a
 * client honouring 503 would. Every client stops on {@link #close} or after {@link #MAX_LOAD_TIME}: a bound in time, not
 * in requests, so the load lasts through every phase however slow the machine (4,000 recalls at one every 5 ms ran out
 * before a slow CI run reached the outage, and the test saw no recall during it).
 *
 * <p>Thread model: one platform thread per client; the answers are concurrent queues read by the test thread.
 */
final class LearnRecallLoad implements AutoCloseable {
    /** Longest a client sends; the tests close the load long before (each of their waits is bounded at 60 s). */
    private static final Duration MAX_LOAD_TIME = Duration.ofMinutes(5);

    private static final Duration PAUSE_AFTER_REFUSAL = Duration.ofMillis(20);
    private static final Duration RECALL_PAUSE = Duration.ofMillis(5);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

    /** The test's phases, in order. */
    enum Phase {
        BEFORE,
        OUTAGE,
        RECOVERED
    }

    /** One learn: its unique text, the phase it was sent in, and the answer (null with the I/O error when none). */
    record Learn(String text, Phase sentIn, TestServer.Reply reply, String ioError) {
        int status() {
            return reply == null ? -1 : reply.status();
        }

        /** The learn's {@code Idempotency-Key}: one per text, so a retry of this learn carries the same key. */
        String idempotencyKey() {
            return idempotencyKeyOf(text);
        }

        /** Answered 500 {@code outcome_unknown}: it may or may not be applied, and only a retry with its key tells. */
        boolean outcomeUnknown() {
            return reply != null && reply.outcomeUnknown();
        }

        @Override
        public String toString() {
            return "learn '" + text + "' sent " + sentIn + ": "
                    + (reply == null ? ioError : reply.status() + " " + reply.body());
        }
    }

    /** One recall answer other than 200, or a recall with no answer (status -1). */
    record Failure(Phase sentIn, int status, String body) {}

    private final ServerProcess server;
    private final String key;
    private final ExecutorService clients;
    /** Written by the test thread, read by the clients at each send. */
    private volatile Phase phase = Phase.BEFORE;
    /** Set by {@link #close}; read by the clients. */
    private volatile boolean stopping;

    private final Queue<Learn> learns = new ConcurrentLinkedQueue<>();
    private final Queue<Failure> recallFailures = new ConcurrentLinkedQueue<>();
    private final AtomicLong recallsOk = new AtomicLong();

    private LearnRecallLoad(final ServerProcess server, final String key, final int learners) {
        this.server = server;
        this.key = key;
        this.clients = Executors.newFixedThreadPool(learners + 1);
    }

    static LearnRecallLoad start(final ServerProcess server, final String key, final int learners) {
        final LearnRecallLoad load = new LearnRecallLoad(server, key, learners);
        for (int c = 0; c < learners; c++) {
            final int client = c;
            // Each loop counts its own failures; close() stops the pool.
            final Future<?> unused = load.clients.submit(() -> load.learnLoop(client));
        }
        final Future<?> unused = load.clients.submit(load::recallLoop);
        return load;
    }

    void enter(final Phase next) {
        phase = next;
    }

    long acknowledged(final Phase sentIn) {
        return learns.stream()
                .filter(l -> l.sentIn() == sentIn && l.status() == 200)
                .count();
    }

    long refused() {
        return learns.stream().filter(l -> l.status() == 503).count();
    }

    long recallsOk() {
        return recallsOk.get();
    }

    List<Learn> learns() {
        return new ArrayList<>(learns);
    }

    List<Failure> recallFailures() {
        return new ArrayList<>(recallFailures);
    }

    private void learnLoop(final int client) {
        final long end = System.nanoTime() + MAX_LOAD_TIME.toNanos();
        for (int i = 0; !stopping && System.nanoTime() - end < 0; i++) {
            final Phase sentIn = phase;
            final String text = "Restart probe " + client + "-" + i + ": status of the Harbor Project milestone " + i;
            final Learn learn = learn(server, key, text, sentIn);
            learns.add(learn);
            if (learn.status() != 200) {
                LockSupport.parkNanos(PAUSE_AFTER_REFUSAL.toNanos());
            }
        }
    }

    /** The key {@link #learn} sends with {@code text}: printable ASCII without spaces, as the API requires. */
    private static String idempotencyKeyOf(final String text) {
        return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * One durable learn of {@code text} with the {@code Idempotency-Key} of that text, so sending it again is the retry
     * the API's safe retry rule asks for; an I/O failure is recorded as status -1.
     */
    static Learn learn(final ServerProcess server, final String key, final String text, final Phase sentIn) {
        return send(text, sentIn, () -> post(server, key, text));
    }

    /**
     * A retry of the learn of {@code text}, with its key, once PostgreSQL is back, as a client following the contract
     * sends it ({@link TestServer#retryWhileInProgress}): an original answered {@code outcome_unknown} whose commit
     * landed moments ago has no recorded answer yet, and its key answers 409 {@code idempotency_key_in_progress} for
     * 10 s (seen on a slow CI machine).
     */
    static Learn retry(final ServerProcess server, final String key, final String text) {
        return send(text, Phase.RECOVERED, () -> TestServer.retryWhileInProgress(() -> post(server, key, text)));
    }

    private static Learn send(final String text, final Phase sentIn, final TestServer.Send request) {
        try {
            return new Learn(text, sentIn, request.send(), null);
        } catch (final IOException e) {
            return new Learn(text, sentIn, null, e.toString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Learn(text, sentIn, null, e.toString());
        }
    }

    private static TestServer.Reply post(final ServerProcess server, final String key, final String text)
            throws IOException, InterruptedException {
        return server.post(
                "/v1/learn",
                key,
                idempotencyKeyOf(text),
                Map.of(
                        "user_message",
                        text,
                        "ai_response",
                        "I will check with the Lighthouse Team.",
                        "session_id",
                        "restart"));
    }

    private void recallLoop() {
        final long end = System.nanoTime() + MAX_LOAD_TIME.toNanos();
        while (!stopping && System.nanoTime() - end < 0) {
            final Phase sentIn = phase;
            try {
                final TestServer.Reply reply =
                        server.post("/v1/recall", key, Map.of("message", "What is the status of the Harbor Project?"));
                if (reply.status() == 200) {
                    recallsOk.incrementAndGet();
                } else {
                    recallFailures.add(new Failure(sentIn, reply.status(), reply.body()));
                }
            } catch (final IOException e) {
                recallFailures.add(new Failure(sentIn, -1, e.toString()));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            LockSupport.parkNanos(RECALL_PAUSE.toNanos());
        }
    }

    /** Stops the clients and waits until each has had its last answer. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        clients.shutdown();
        if (!clients.awaitTermination(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            clients.shutdownNow();
            throw new IllegalStateException("load clients did not stop within " + STOP_DEADLINE);
        }
    }
}
