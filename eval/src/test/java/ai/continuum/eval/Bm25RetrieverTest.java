package ai.continuum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class Bm25RetrieverTest {

    private static EvalDataset.Conversation conversation() {
        final List<EvalDataset.DialogueTurn> turns = List.of(
                new EvalDataset.DialogueTurn("t1", "Ann", "Morning! Coffee first, then the standup.", "s1", 1_000),
                new EvalDataset.DialogueTurn(
                        "t2", "Ben", "My sister just adopted a tortoise named Pickle.", "s1", 2_000),
                new EvalDataset.DialogueTurn(
                        "t3", "Ann", "The deploy pipeline failed on the database migration.", "s1", 3_000),
                new EvalDataset.DialogueTurn("t4", "Ben", "Let's get lunch near the office tomorrow.", "s2", 4_000));
        return new EvalDataset.Conversation("c1", turns, List.of());
    }

    @Test
    void shouldRankTheKeywordTurnFirstWhenQuestionSharesItsWords() {
        try (Bm25Retriever retriever = new Bm25Retriever();
                Retriever.IndexedConversation index = retriever.index(conversation())) {
            assertEquals(
                    "t2",
                    index.retrieve("What is the name of the tortoise Ben's sister adopted?", 10)
                            .get(0));
            assertEquals(
                    "t3", index.retrieve("Why did the migrations fail?", 10).get(0));
        }
    }

    @Test
    void shouldStemAndDropStopWordsWhenAnalysing() {
        try (Bm25Retriever retriever = new Bm25Retriever()) {
            assertEquals(List.of("adopt", "tortois"), retriever.analyse("The adopted tortoises"));
        }
    }

    @Test
    void shouldReturnNothingWhenQuestionHasOnlyStopWordsOrSyntax() {
        try (Bm25Retriever retriever = new Bm25Retriever();
                Retriever.IndexedConversation index = retriever.index(conversation())) {
            assertTrue(index.retrieve("is it the?", 10).isEmpty());
            assertEquals(
                    "t3",
                    index.retrieve("pipeline AND (deploy OR \"failed\")~ [x TO y]", 10)
                            .get(0));
        }
    }

    @Test
    void shouldCapTheRankingWhenLimitIsSmall() {
        try (Bm25Retriever retriever = new Bm25Retriever();
                Retriever.IndexedConversation index = retriever.index(conversation())) {
            assertEquals(1, index.retrieve("Ann Ben", 1).size());
        }
    }
}
