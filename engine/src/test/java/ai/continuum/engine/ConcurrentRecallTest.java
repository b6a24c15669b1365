package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ConcurrentRecallTest {
    private static final int LEAVES = 300;
    /**
     * The writer stops once both floors are passed: enough changes to grow, move and reorder the hub's adjacency many
     * times, and enough recalls overlapping them. Counting work instead of a fixed 60,000 applies keeps the test short
     * on a fast machine and still meaningful on a loaded one. The memory ordering itself is checked exhaustively by
     * the SeqLock stress tests in the concurrency-tests module.
     */
    private static final int MIN_APPLIES = 5_000;

    private static final int MIN_RECALLS = 500;
    private static final int MAX_APPLIES = 60_000;

    /**
     * One writer keeps reinforcing random links of a hub (reordering its adjacency, growing and moving blocks) while
     * readers recall the hub. Every result must be internally consistent: no neighbour twice, relevances of direct
     * neighbours non-increasing in adjacency order, every relevance one the strength formula can produce.
     */
    @Test
    void shouldNeverShowReadersATornNeighbourList() throws Exception {
        final EngineConfig config = EngineConfig.defaults();
        try (MemoryEngine engine = MemoryEngine.create(config)) {
            engine.apply("t", Deltas.concepts(1, "Centre"));
            final Set<Long> valid = new HashSet<>();
            for (int count = 1; count <= 20_000; count++) {
                valid.add(Math.round(config.strength(count, 0) * config.resonanceDecay() * 1e9));
            }
            final Readers readers = new Readers(problems -> {
                final RecallResult result = engine.recall("t", "centre", 100, 0);
                final Set<String> names = new HashSet<>();
                for (final RecallResult.ConceptHit hit : result.concepts()) {
                    if (!names.add(hit.name())) {
                        problems.add("duplicate " + hit.name());
                    }
                    if (hit.depth() == 1 && !valid.contains(Math.round(hit.relevance() * 1e9))) {
                        problems.add("impossible relevance " + hit.relevance());
                    }
                }
                double previous = Double.MAX_VALUE;
                for (final RecallResult.ConceptHit hit : result.concepts()) {
                    if (hit.relevance() > previous + 1e-12) {
                        problems.add("unsorted " + result.concepts());
                    }
                    previous = hit.relevance();
                }
            });
            final Random random = new Random(11);
            for (int i = 0; i < MAX_APPLIES && (i < MIN_APPLIES || readers.recalls() < MIN_RECALLS); i++) {
                engine.apply("t", Deltas.link("Centre", "Leaf" + random.nextInt(LEAVES), 1 + random.nextInt(3), i));
            }
            readers.stop();
            assertTrue(readers.problems.isEmpty(), readers::summary);
            assertTrue(readers.recalls() > 0, "no recall overlapped the writes");
            assertEquals(LEAVES + 1, engine.stats("t").concepts());
        }
    }

    /**
     * One writer learns turns and forgets old ones (their term ids cleared, their blocks freed and reused) while readers
     * recall a question whose best memories lead over their rare words to others. Every returned memory must be one
     * whole turn, and the words must have led somewhere while the lists changed under the readers.
     */
    @Test
    void shouldFollowTheWordsOfMemoriesLearnedAndForgottenWhileRecalling() throws Exception {
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults())) {
            final AtomicLong linked = new AtomicLong();
            final Readers readers = new Readers(problems -> {
                try {
                    for (final RecallResult.MemoryHit hit : engine.recall("t", "Who repaired the lighthouse?", 1, 10)
                            .memories()) {
                        if (!hit.memory().userText().equals(turn(hit.memory().id()))) {
                            problems.add("torn memory " + hit.memory());
                        }
                        linked.addAndGet(hit.why().linkedTurn() > 0 ? 1 : 0);
                    }
                } catch (final RuntimeException e) {
                    problems.add(e.toString());
                }
            });
            for (long id = 1; id <= MAX_APPLIES && (id < MIN_APPLIES / 2 || readers.recalls() < MIN_RECALLS); id++) {
                engine.learn("t", Turn.of(id, turn(id), "", id * 60_000L));
                if (id > 120) {
                    engine.forgetMemory("t", id - 120);
                }
            }
            readers.stop();
            assertTrue(readers.problems.isEmpty(), readers::summary);
            assertTrue(linked.get() > 0, "no recall followed a word to another memory");
        }
    }

    /**
     * Two reader threads, each running one recall check after another until {@link #stop}; the constructor returns
     * once both run, so the test's thread writes under them from its first write. Each check adds what it finds wrong
     * to {@link #problems}.
     */
    private static final class Readers {
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final AtomicLong recalls = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();

        Readers(final Consumer<Queue<String>> check) throws InterruptedException {
            final CountDownLatch started = new CountDownLatch(3);
            for (int r = 0; r < 2; r++) {
                final Thread reader = new Thread(() -> {
                    started.countDown();
                    while (writing.get()) {
                        check.accept(problems);
                        recalls.incrementAndGet();
                        // Leave the writer its share of a loaded machine: back-to-back recalls on every core
                        // starve the one writer, whose descheduled sequence lock the readers then spin on.
                        yieldToWriter();
                    }
                });
                reader.start();
                threads.add(reader);
            }
            started.countDown();
            started.await();
        }

        long recalls() {
            return recalls.get();
        }

        void stop() throws InterruptedException {
            writing.set(false);
            for (final Thread reader : threads) {
                reader.join();
            }
        }

        String summary() {
            return problems.size() + " problems, first: " + problems.peek();
        }
    }

    /** Turn {@code id}: the question's words, its own number, and a rare word three live turns share. */
    private static String turn(final long id) {
        return "Ann: Bertil repaired the lighthouse again, turn " + id + ", a zq" + (id % 40) + " job.";
    }

    @SuppressWarnings("ThreadPriorityCheck") // deliberate: a hint to the scheduler, not a correctness condition
    private static void yieldToWriter() {
        Thread.yield();
    }
}
