package ai.continuum.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one retriever answered to one question.
 *
 * @param conversationId conversation the question belongs to.
 * @param questionId     question id, unique within the conversation.
 * @param category       the question's category label.
 * @param evidence       turn ids that hold the answer.
 * @param ranking        turn ids the retriever returned, best first.
 * @param latencyNanos   wall time of the retrieval call.
 */
public record QuestionOutcome(
        String conversationId,
        String questionId,
        String category,
        List<String> evidence,
        List<String> ranking,
        long latencyNanos) {

    public QuestionOutcome {
        evidence = List.copyOf(evidence);
        ranking = List.copyOf(ranking);
    }

    /** 1-based rank of the best-placed evidence turn, or 0 when none was returned. */
    public int firstRank() {
        for (int i = 0; i < ranking.size(); i++) {
            if (evidence.contains(ranking.get(i))) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Whether any evidence turn is among the first {@code k}. */
    public boolean hitAt(final int k) {
        final int rank = firstRank();
        return rank > 0 && rank <= k;
    }

    /** Whether every evidence turn is among the first {@code k}. */
    public boolean allAt(final int k) {
        final Set<String> top = new HashSet<>(ranking.subList(0, Math.min(k, ranking.size())));
        return top.containsAll(evidence);
    }

    /** 1 / rank of the first evidence turn, 0 when none was returned. */
    public double reciprocalRank() {
        final int rank = firstRank();
        return rank == 0 ? 0.0 : 1.0 / rank;
    }
}
