package ai.continuum.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs retrievers over a dataset and collects one {@link QuestionOutcome} per question and retriever.
 *
 * <p>For each conversation the retriever indexes every turn into fresh state, then answers every question with at
 * most {@code max(ks)} turn ids. Before the measured pass, {@code warmupPasses} unmeasured passes over the same
 * conversation's questions let the JIT compile the recall path, so latencies describe a warm service rather than
 * the first call of a cold JVM; rankings come from the measured pass only. Runs on the calling thread.
 */
public final class Evaluator {

    private final List<Integer> ks;
    private final int depth;
    private final int warmupPasses;
    private final LongSupplier nanoClock;
    private final Consumer<String> progress;

    /**
     * @param ks           cut-offs to report, each >= 1; retrieval depth is the largest.
     * @param warmupPasses unmeasured passes over each conversation's questions, >= 0.
     * @param nanoClock    monotonic clock in nanoseconds, {@code System::nanoTime} outside tests.
     * @param progress     receives one line per indexed conversation.
     */
    public Evaluator(
            final List<Integer> ks,
            final int warmupPasses,
            final LongSupplier nanoClock,
            final Consumer<String> progress) {
        if (ks.isEmpty()) {
            throw new IllegalArgumentException("ks must name at least one cut-off");
        }
        for (final int k : ks) {
            if (k < 1 || k > 100) {
                throw new IllegalArgumentException("k=" + k + " must be in [1, 100]");
            }
        }
        if (warmupPasses < 0) {
            throw new IllegalArgumentException("warmupPasses=" + warmupPasses + " must be >= 0");
        }
        this.ks = ks.stream().distinct().sorted().toList();
        this.depth = Collections.max(this.ks);
        this.warmupPasses = warmupPasses;
        this.nanoClock = nanoClock;
        this.progress = progress;
    }

    public List<Integer> ks() {
        return ks;
    }

    /** One retriever's outcomes over the whole dataset, in dataset order. */
    public RetrieverRun run(final EvalDataset dataset, final Retriever retriever) {
        final List<QuestionOutcome> outcomes = new ArrayList<>(dataset.questionCount());
        long indexNanos = 0;
        for (final EvalDataset.Conversation conversation : dataset.conversations()) {
            final long start = nanoClock.getAsLong();
            try (Retriever.IndexedConversation index = retriever.index(conversation)) {
                final long indexed = nanoClock.getAsLong() - start;
                indexNanos += indexed;
                progress.accept(String.format(
                        "%s: indexed %s (%d turns) in %d ms",
                        retriever.name(),
                        conversation.id(),
                        conversation.turns().size(),
                        indexed / 1_000_000));
                for (int pass = 0; pass < warmupPasses; pass++) {
                    for (final EvalDataset.Question question : conversation.questions()) {
                        index.retrieve(question.question(), depth);
                    }
                }
                for (final EvalDataset.Question question : conversation.questions()) {
                    final long before = nanoClock.getAsLong();
                    final List<String> ranking = index.retrieve(question.question(), depth);
                    final long latency = nanoClock.getAsLong() - before;
                    outcomes.add(new QuestionOutcome(
                            conversation.id(),
                            question.id(),
                            question.category(),
                            question.evidence(),
                            ranking.subList(0, Math.min(depth, ranking.size())),
                            latency));
                }
            }
        }
        return new RetrieverRun(
                retriever.name(),
                outcomes,
                Metrics.of(outcomes, ks),
                Metrics.byCategory(outcomes, ks),
                indexNanos / 1_000_000);
    }

    /**
     * Everything one retriever produced.
     *
     * @param name       retriever name.
     * @param outcomes   one per question, dataset order.
     * @param overall    metrics over all questions.
     * @param byCategory metrics per category, category name order.
     * @param indexMillis total time spent indexing all conversations.
     */
    public record RetrieverRun(
            String name,
            List<QuestionOutcome> outcomes,
            Metrics overall,
            Map<String, Metrics> byCategory,
            long indexMillis) {
        public RetrieverRun {
            outcomes = List.copyOf(outcomes);
            byCategory = Collections.unmodifiableMap(new LinkedHashMap<>(byCategory));
        }
    }
}
