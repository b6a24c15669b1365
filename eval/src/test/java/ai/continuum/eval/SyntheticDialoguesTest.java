package ai.continuum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticDialoguesTest {

    @Test
    void shouldProduceIdenticalJsonWhenSeedIsTheSame() {
        final String first = SyntheticDialogues.generate(10_000, 2_000, 7).toJson();
        final String second = SyntheticDialogues.generate(10_000, 2_000, 7).toJson();

        assertEquals(first, second);
        assertNotEquals(first, SyntheticDialogues.generate(10_000, 2_000, 8).toJson());
    }

    @Test
    void shouldWriteAValidDatasetOfTheRequestedSizeWhenGeneratingAtScale() {
        final EvalDataset dataset =
                EvalDataset.parse(SyntheticDialogues.generate(10_100, 2_000, 42).toJson());

        assertEquals(10_100, dataset.turnCount());
        assertEquals(5, dataset.conversations().size());
        assertEquals(2_100, dataset.conversations().get(4).turns().size());
        assertTrue(dataset.questionCount() >= 800, "questions=" + dataset.questionCount());
        final Set<String> categories = new HashSet<>();
        dataset.conversations().forEach(c -> c.questions().forEach(q -> categories.add(q.category())));
        assertEquals(Set.of("single-hop", "multi-hop", "temporal", "knowledge-update"), categories);
    }

    @Test
    void shouldPlaceTheUpdateAfterTheOriginalFactWhenSomeoneMoves() {
        final EvalDataset.Conversation conversation =
                SyntheticDialogues.generate(400, 400, 3).conversations().get(0);
        final List<EvalDataset.DialogueTurn> turns = conversation.turns();

        for (final EvalDataset.Question question : conversation.questions()) {
            if (!question.category().equals("knowledge-update")) {
                continue;
            }
            final String person =
                    question.question().replace("Which city does ", "").replace(" live in now?", "");
            final EvalDataset.DialogueTurn move = turns.stream()
                    .filter(t -> t.id().equals(question.evidence().get(0)))
                    .findFirst()
                    .orElseThrow();
            final int movedAt = turns.indexOf(move);
            final int livedAt = indexOf(turns, person + " lives in ");
            assertTrue(move.text().startsWith(person + " packed everything up"), move.text());
            assertTrue(livedAt >= 0 && livedAt < movedAt, person + " lived at " + livedAt + ", moved at " + movedAt);
        }
    }

    @Test
    void shouldKeepTimesIncreasingWhenSessionsAdvance() {
        final List<EvalDataset.DialogueTurn> turns =
                SyntheticDialogues.generate(400, 400, 5).conversations().get(0).turns();

        for (int i = 1; i < turns.size(); i++) {
            assertTrue(turns.get(i).timeMillis() > turns.get(i - 1).timeMillis(), "turn " + i);
        }
        assertTrue(turns.get(turns.size() - 1).session().compareTo("s1") != 0);
    }

    private static int indexOf(final List<EvalDataset.DialogueTurn> turns, final String prefix) {
        for (int i = 0; i < turns.size(); i++) {
            if (turns.get(i).text().startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
