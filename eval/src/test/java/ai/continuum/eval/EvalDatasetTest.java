package ai.continuum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvalDatasetTest {

    static final String VALID = """
        {"conversations": [{"id": "c1",
          "turns": [
            {"id": "t1", "speaker": "Ann", "text": "I adopted a cat called Biscuit.", "session": "s1",
             "time": "2023-05-08T13:56:00Z"},
            {"id": "t2", "speaker": "Ben", "text": "Lovely! My sister lives in Lisbon.", "session": "s1",
             "time": "2023-05-08T13:57:00+02:00"}],
          "questions": [
            {"id": "q1", "question": "What is Ann's cat called?", "evidence": ["t1"], "category": "single-hop"},
            {"id": "q2", "question": "Where does Ben's sister live?", "evidence": ["t2", "t1"],
             "category": "multi-hop"}]}]}
        """;

    private static String message(final String json) {
        return assertThrows(EvalDataset.InvalidDatasetException.class, () -> EvalDataset.parse(json))
                .getMessage();
    }

    @Test
    void shouldParseEveryFieldWhenDatasetIsValid() {
        final EvalDataset dataset = EvalDataset.parse(VALID);

        assertEquals(1, dataset.conversations().size());
        assertEquals(2, dataset.turnCount());
        assertEquals(2, dataset.questionCount());
        final EvalDataset.DialogueTurn second =
                dataset.conversations().get(0).turns().get(1);
        assertEquals("Ben", second.speaker());
        assertEquals("s1", second.session());
        assertEquals(1_683_547_020_000L, second.timeMillis());
        assertEquals("Ben: Lovely! My sister lives in Lisbon.", second.indexedText());
        assertEquals(
                List.of("t2", "t1"),
                dataset.conversations().get(0).questions().get(1).evidence());
    }

    @Test
    void shouldReadBackEqualWhenWrittenAsJson() {
        final EvalDataset dataset = EvalDataset.parse(VALID);

        assertEquals(dataset, EvalDataset.parse(dataset.toJson()));
    }

    @Test
    void shouldNameTheIdWhenEvidenceIsUnknown() {
        final String error = message(VALID.replace("[\"t2\", \"t1\"]", "[\"t2\", \"t7\"]"));

        assertTrue(error.contains("conversations[0].questions[1].evidence[1]"), error);
        assertTrue(error.contains("unknown turn id \"t7\""), error);
    }

    @Test
    void shouldRejectDuplicateTurnIdsWhenTwoTurnsShareAnId() {
        final String error = message(VALID.replace("{\"id\": \"t2\"", "{\"id\": \"t1\""));

        assertTrue(error.contains("turns[1].id: duplicate turn id \"t1\""), error);
    }

    @Test
    void shouldRejectDuplicateQuestionIdsWhenTwoQuestionsShareAnId() {
        final String error = message(VALID.replace("{\"id\": \"q2\"", "{\"id\": \"q1\""));

        assertTrue(error.contains("questions[1].id: duplicate question id \"q1\""), error);
    }

    @Test
    void shouldRejectDuplicateConversationIdsWhenTwoConversationsShareAnId() {
        final String conversation =
                VALID.substring(VALID.indexOf('[') + 1, VALID.lastIndexOf(']')).trim();
        final String error = message("{\"conversations\": [" + conversation + ", " + conversation + "]}");

        assertTrue(error.contains("conversations[1].id: duplicate conversation id \"c1\""), error);
    }

    @Test
    void shouldExplainTheFormatWhenTimeIsBad() {
        final String error = message(VALID.replace("2023-05-08T13:56:00Z", "08/05/2023 13:56"));

        assertTrue(error.contains("turns[0].time"), error);
        assertTrue(error.contains("not an ISO-8601"), error);
    }

    @Test
    void shouldRejectTimeWithoutOffsetWhenZoneIsMissing() {
        final String error = message(VALID.replace("2023-05-08T13:56:00Z", "2023-05-08T13:56:00"));

        assertTrue(error.contains("turns[0].time"), error);
    }

    @Test
    void shouldRejectMisspeltFieldWhenKeyIsUnknown() {
        final String error = message(VALID.replace("\"evidence\": [\"t1\"]", "\"evidense\": [\"t1\"]"));

        assertTrue(error.contains("unknown field \"evidense\""), error);
    }

    @Test
    void shouldRejectQuestionWhenEvidenceIsEmpty() {
        final String error = message(VALID.replace("[\"t1\"]", "[]"));

        assertTrue(error.contains("questions[0].evidence: must name at least one turn"), error);
    }

    @Test
    void shouldRejectMissingFieldWhenTextIsAbsent() {
        final String error = message(VALID.replace("\"text\": \"I adopted a cat called Biscuit.\", ", ""));

        assertTrue(error.contains("turns[0].text: required string is missing"), error);
    }

    @Test
    void shouldReportSyntaxWhenJsonIsMalformed() {
        final String error = message("{\"conversations\": [");

        assertTrue(error.startsWith("not valid JSON"), error);
    }
}
