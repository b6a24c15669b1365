package ai.continuum.server;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Bounded waits for what the service records after it answered or on another thread. The request metrics
 * ({@code MetricsFilter}) and the access line ({@code AccessLogFilter}) are written once the response has gone out, so
 * a client can read an answer, and even the next answer on another connection, before they exist: every request of
 * {@link DirectServer} runs on a connection of its own, and the JDK client does not promise to reuse one. A test reads
 * such things through here, never right after the answer.
 */
public final class Await {
    /** Far beyond what a condition that will hold needs on a machine at a load of 30; one that holds returns at once. */
    public static final Duration BOUND = Duration.ofSeconds(30);

    private static final long PAUSE_MS = 20;

    private Await() {}

    /**
     * Reads {@code probe} until {@code done} accepts its value and returns that value; fails after {@link #BOUND}
     * naming {@code what} and the last value read.
     */
    public static <T> T until(final String what, final Supplier<T> probe, final Predicate<? super T> done) {
        final long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            final T value = probe.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + BOUND.toSeconds() + " s: " + what + "; last seen:\n" + value);
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /**
     * Scrapes with {@code scrape} until the text holds every one of {@code series} (whole sample lines or prefixes of
     * them) and returns that text, for assertions on the rest of it once every request they count is recorded.
     */
    public static String scrapeShowing(final Supplier<String> scrape, final String... series) {
        final List<String> expected = Arrays.asList(series);
        return until(
                "the metrics show " + expected,
                scrape,
                text -> expected.stream().allMatch(text::contains));
    }
}
