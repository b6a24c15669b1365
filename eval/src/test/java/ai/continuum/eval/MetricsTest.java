package ai.continuum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final double EPS = 1e-12;

    private static QuestionOutcome outcome(
            final String category, final List<String> evidence, final List<String> ranking, final long nanos) {
        return new QuestionOutcome("c1", "q", category, evidence, ranking, nanos);
    }

    private static final List<QuestionOutcome> OUTCOMES = List.of(
            outcome("a", List.of("t1"), List.of("t3", "t1", "t2"), 4_000),
            outcome("a", List.of("t1", "t4"), List.of("t1", "t2", "t3", "t4"), 1_000),
            outcome("b", List.of("t9"), List.of("t1", "t2"), 3_000),
            outcome("b", List.of("t2", "t5"), List.of(), 2_000));

    @Test
    void shouldRankFirstEvidenceWhenSeveralTurnsAreEvidence() {
        assertEquals(2, OUTCOMES.get(0).firstRank());
        assertEquals(1, OUTCOMES.get(1).firstRank());
        assertEquals(0, OUTCOMES.get(2).firstRank());
        assertEquals(0, OUTCOMES.get(3).firstRank());
        assertFalse(OUTCOMES.get(1).allAt(3));
        assertTrue(OUTCOMES.get(1).allAt(4));
        assertFalse(OUTCOMES.get(0).hitAt(1));
        assertTrue(OUTCOMES.get(0).hitAt(2));
    }

    @Test
    void shouldComputeExactHitRecallAllAndMrrWhenRankingsAreKnown() {
        final Metrics metrics = Metrics.of(OUTCOMES, List.of(5, 1, 3));

        assertEquals(4, metrics.questions());
        assertEquals(List.of(1, 3, 5), List.copyOf(metrics.hitAt().keySet()));
        assertEquals(0.25, metrics.hitAt().get(1), EPS);
        assertEquals(0.5, metrics.hitAt().get(3), EPS);
        assertEquals(0.5, metrics.hitAt().get(5), EPS);
        assertEquals(0.0, metrics.recallAllAt().get(1), EPS);
        assertEquals(0.25, metrics.recallAllAt().get(3), EPS);
        assertEquals(0.5, metrics.recallAllAt().get(5), EPS);
        assertEquals((0.5 + 1.0) / 4, metrics.mrr(), EPS);
        assertEquals(2.0, metrics.p50Micros(), EPS);
        assertEquals(4.0, metrics.p99Micros(), EPS);
    }

    @Test
    void shouldSplitByCategoryWhenCategoriesDiffer() {
        final Map<String, Metrics> byCategory = Metrics.byCategory(OUTCOMES, List.of(1, 3));

        assertEquals(List.of("a", "b"), List.copyOf(byCategory.keySet()));
        assertEquals(0.5, byCategory.get("a").hitAt().get(1), EPS);
        assertEquals(1.0, byCategory.get("a").hitAt().get(3), EPS);
        assertEquals(0.75, byCategory.get("a").mrr(), EPS);
        assertEquals(0.0, byCategory.get("b").mrr(), EPS);
        assertEquals(0.0, byCategory.get("b").hitAt().get(3), EPS);
    }

    @Test
    void shouldUseNearestRankWhenTakingPercentiles() {
        final long[] hundred = new long[100];
        for (int i = 0; i < hundred.length; i++) {
            hundred[i] = i + 1L;
        }
        assertEquals(50, Metrics.percentile(hundred, 50));
        assertEquals(99, Metrics.percentile(hundred, 99));
        assertEquals(7, Metrics.percentile(new long[] {7}, 99));
        assertEquals(0, Metrics.percentile(new long[0], 50));
    }

    @Test
    void shouldReportZerosWhenThereAreNoQuestions() {
        final Metrics metrics = Metrics.of(List.of(), List.of(1));

        assertEquals(0, metrics.questions());
        assertEquals(0.0, metrics.hitAt().get(1), EPS);
        assertEquals(0.0, metrics.mrr(), EPS);
    }
}
