package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.store.ImageInput;
import ai.continuum.engine.store.ImageOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Memory terms are indexed behind learn (TermIndexer): no recall may notice. Every memory here says one made-up,
 * lower-case word of its own, which names no concept, so only the term index can find the memory by it.
 */
class TermIndexVisibilityTest {
    private static final long T0 = 1_700_000_000_000L;

    /** Consonants only, so that no stemming rule shortens a made-up word and no two words become one term. */
    private static final String LETTERS = "bcfhjkmpqvwxz";

    /** A made-up word for memory {@code id}: "vork" and four consonants. */
    private static String word(final long id) {
        final char[] tail = new char[4];
        long n = id;
        for (int i = tail.length - 1; i >= 0; i--) {
            tail[i] = LETTERS.charAt((int) (n % LETTERS.length()));
            n /= LETTERS.length();
        }
        return "vork" + new String(tail);
    }

    private static Turn turn(final long id) {
        return new Turn(id, "we talked about " + word(id) + " over lunch", "noted", "", "s" + id, "", T0 + id);
    }

    private static List<Long> recalledIds(final MemoryEngine engine, final long id) {
        return engine.recall("t", word(id), 10, 10).memories().stream()
                .map(m -> m.memory().id())
                .toList();
    }

    @Test
    void shouldFindEveryMemoryByItsWordsInTheRecallRightAfterItsLearn() {
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0)) {
            for (long id = 1; id <= 2_000; id++) {
                engine.learn("t", turn(id));
                assertEquals(List.of(id), recalledIds(engine, id), "memory " + id);
            }
            final long[] delays = engine.recentTermIndexDelaysNanos();
            assertEquals(2_000, delays.length);
            for (final long delay : delays) {
                assertTrue(delay >= 0);
            }
        }
    }

    @Test
    void shouldNeverReturnAMemoryForgottenBeforeItsTermsWereIndexed() {
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0)) {
            for (long id = 1; id <= 1_000; id++) {
                engine.learn("t", turn(id));
                if (id % 2 == 0) {
                    assertTrue(engine.forgetMemory("t", id)); // most often while its terms are still queued
                }
            }
            for (long id = 1; id <= 1_000; id++) {
                assertEquals(id % 2 == 0 ? List.of() : List.of(id), recalledIds(engine, id), "memory " + id);
            }
            assertEquals(500, engine.stats("t").memories());
        }
    }

    /** More memories than the queue holds, learned under one hold of the write lock: the writer indexes the excess. */
    @Test
    void shouldIndexABulkLoadLargerThanTheQueue() {
        final int count = TermIndexer.QUEUE * 2 + 17;
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0)) {
            try (MemoryEngine.BulkLoad load = engine.bulkLoad()) {
                for (long id = 1; id <= count; id++) {
                    load.apply("t", engine.prepare(turn(id)));
                }
            }
            for (long id = 1; id <= count; id += 97) {
                assertEquals(List.of(id), recalledIds(engine, id), "memory " + id);
            }
            assertEquals(List.of((long) count), recalledIds(engine, count));
        }
    }

    /** The image holds the terms of memories still queued when it was written. */
    @Test
    void shouldWriteQueuedTermsIntoAnImage() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0)) {
            for (long id = 1; id <= 300; id++) {
                engine.learn("t", turn(id));
            }
            final ImageOutput out = new ImageOutput(Channels.newChannel(bytes));
            engine.writeImage(out);
            out.flush();
        }
        try (MemoryEngine restored = MemoryEngine.create(EngineConfig.defaults(), () -> T0)) {
            restored.readImage(new ImageInput(Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray()))));
            for (long id = 1; id <= 300; id++) {
                assertEquals(List.of(id), recalledIds(restored, id), "memory " + id);
            }
        }
    }

    /**
     * Readers recall the word of the memory learned last, and of the one forgotten last, while one thread learns and
     * forgets (one memory in three, two learns after its own): each learn that has returned is found, each forget
     * that has returned is not.
     */
    @Test
    void shouldKeepReadYourWritesForRecallsRacingLearnAndForget() throws Exception {
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0)) {
            final AtomicLong learned = new AtomicLong();
            final AtomicLong forgotten = new AtomicLong();
            final AtomicBoolean writing = new AtomicBoolean(true);
            final AtomicLong recalls = new AtomicLong();
            final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            final Thread[] readers = new Thread[2];
            for (int r = 0; r < readers.length; r++) {
                readers[r] = new Thread(() -> {
                    while (writing.get()) {
                        final long last = learned.get();
                        if (last > 0
                                && last % 3 != 1
                                && !recalledIds(engine, last).contains(last)) {
                            problems.add("learned " + last + " not found");
                        }
                        final long gone = forgotten.get();
                        if (gone > 0 && recalledIds(engine, gone).contains(gone)) {
                            problems.add("forgotten " + gone + " found");
                        }
                        recalls.incrementAndGet();
                    }
                });
                readers[r].start();
            }
            for (long id = 1; id <= 6_000 && problems.isEmpty(); id++) {
                engine.learn("t", turn(id));
                learned.set(id);
                if (id % 3 == 0) {
                    engine.forgetMemory("t", id - 2); // a memory readers no longer check as the last learned
                    forgotten.set(id - 2);
                }
            }
            writing.set(false);
            for (final Thread reader : readers) {
                reader.join();
            }
            assertTrue(problems.isEmpty(), problems.toString());
            assertTrue(recalls.get() > 0);
            assertFalse(recalledIds(engine, forgotten.get()).contains(forgotten.get()));
        }
    }
}
