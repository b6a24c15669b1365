package ai.continuum.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Aggregate figures over a set of question outcomes.
 *
 * <p>hit@k is the share of questions with any evidence turn in the top k; recall_all@k the share with every evidence
 * turn in the top k; MRR the mean reciprocal rank of the first evidence turn, counting 0 when none is returned (so it
 * is MRR truncated at the deepest k asked for). Latency percentiles use the nearest-rank method over the exact
 * sorted sample: p-th percentile = the {@code ceil(p/100 * n)}-th smallest latency.
 *
 * @param questions    number of questions aggregated.
 * @param hitAt        k -> hit@k, ascending k.
 * @param recallAllAt  k -> recall_all@k, ascending k.
 * @param mrr          mean reciprocal rank.
 * @param p50Micros    median retrieval latency, microseconds.
 * @param p99Micros    99th percentile retrieval latency, microseconds.
 */
public record Metrics(
        int questions,
        SortedMap<Integer, Double> hitAt,
        SortedMap<Integer, Double> recallAllAt,
        double mrr,
        double p50Micros,
        double p99Micros) {

    public static Metrics of(final Collection<QuestionOutcome> outcomes, final List<Integer> ks) {
        final int n = outcomes.size();
        final SortedMap<Integer, Double> hit = new TreeMap<>();
        final SortedMap<Integer, Double> all = new TreeMap<>();
        for (final int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("k=" + k + " must be >= 1");
            }
            hit.put(k, share(outcomes.stream().filter(o -> o.hitAt(k)).count(), n));
            all.put(k, share(outcomes.stream().filter(o -> o.allAt(k)).count(), n));
        }
        final double mrr = n == 0
                ? 0.0
                : outcomes.stream().mapToDouble(QuestionOutcome::reciprocalRank).sum() / n;
        final long[] latencies = outcomes.stream()
                .mapToLong(QuestionOutcome::latencyNanos)
                .sorted()
                .toArray();
        return new Metrics(n, hit, all, mrr, percentile(latencies, 50) / 1_000.0, percentile(latencies, 99) / 1_000.0);
    }

    /** Metrics per category, categories in name order. */
    public static Map<String, Metrics> byCategory(final List<QuestionOutcome> outcomes, final List<Integer> ks) {
        final SortedMap<String, List<QuestionOutcome>> groups = new TreeMap<>();
        for (final QuestionOutcome outcome : outcomes) {
            groups.computeIfAbsent(outcome.category(), c -> new ArrayList<>()).add(outcome);
        }
        final Map<String, Metrics> result = new LinkedHashMap<>();
        groups.forEach((category, group) -> result.put(category, of(group, ks)));
        return result;
    }

    /** Nearest-rank percentile of an ascending array; 0 for an empty one. */
    static long percentile(final long[] sortedAscending, final double p) {
        if (sortedAscending.length == 0) {
            return 0L;
        }
        final int rank = (int) Math.ceil(p / 100.0 * sortedAscending.length);
        return sortedAscending[Math.max(0, Math.min(sortedAscending.length, rank) - 1)];
    }

    private static double share(final long count, final int n) {
        return n == 0 ? 0.0 : (double) count / n;
    }
}
