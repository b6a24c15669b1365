package ai.continuum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    /** Answers every question with the conversation's turns in reverse order, and counts what it was asked. */
    private static final class ReverseRetriever implements Retriever {
        final List<String> indexed = new ArrayList<>();
        final List<Integer> limits = new ArrayList<>();
        int closedIndexes;

        @Override
        public String name() {
            return "reverse";
        }

        @Override
        public IndexedConversation index(final EvalDataset.Conversation conversation) {
            indexed.add(conversation.id());
            final List<String> reversed = new ArrayList<>(conversation.turns().stream()
                    .map(EvalDataset.DialogueTurn::id)
                    .toList());
            Collections.reverse(reversed);
            return new IndexedConversation() {
                @Override
                public List<String> retrieve(final String question, final int limit) {
                    limits.add(limit);
                    return reversed;
                }

                @Override
                public void close() {
                    closedIndexes++;
                }
            };
        }

        @Override
        public void close() {}
    }

    @Test
    void shouldIndexEachConversationFreshAndMeasureOnlyTheFinalPassWhenWarmingUp() {
        final EvalDataset dataset = EvalDataset.parse(EvalDatasetTest.VALID);
        final AtomicLong clock = new AtomicLong();
        final List<String> progress = new ArrayList<>();
        final Evaluator evaluator = new Evaluator(List.of(1, 1, 2), 2, () -> clock.addAndGet(1_000), progress::add);
        final ReverseRetriever retriever = new ReverseRetriever();

        final Evaluator.RetrieverRun run = evaluator.run(dataset, retriever);

        assertEquals(List.of("c1"), retriever.indexed);
        assertEquals(1, retriever.closedIndexes);
        assertEquals(6, retriever.limits.size());
        assertEquals(List.of(1, 2), evaluator.ks());
        assertEquals(2, retriever.limits.get(0));
        assertEquals(1, progress.size());
        assertEquals(2, run.outcomes().size());
        final QuestionOutcome first = run.outcomes().get(0);
        assertEquals(List.of("t2", "t1"), first.ranking());
        assertEquals(2, first.firstRank());
        assertEquals(1_000, first.latencyNanos());
        assertEquals(1, run.outcomes().get(1).firstRank());
        assertEquals(0.5, run.overall().hitAt().get(1), 1e-12);
        assertEquals(1.0, run.overall().recallAllAt().get(2), 1e-12);
        assertEquals(0.75, run.overall().mrr(), 1e-12);
        assertEquals(
                List.of("multi-hop", "single-hop"), List.copyOf(run.byCategory().keySet()));
    }

    @Test
    void shouldRejectCutOffsWhenOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(List.of(0), 0, System::nanoTime, s -> {}));
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(List.of(101), 0, System::nanoTime, s -> {}));
        assertThrows(IllegalArgumentException.class, () -> new Evaluator(List.of(), 0, System::nanoTime, s -> {}));
    }
}
