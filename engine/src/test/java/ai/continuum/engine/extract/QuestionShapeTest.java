package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuestionShapeTest {

    @Test
    void shouldAskSeveralWhenTwoClausesAreJoinedByAnd() {
        assertTrue(QuestionShape.asksSeveral("Who helped carry Maya's sofa, and what did he recently qualify as?"));
        assertTrue(QuestionShape.asksSeveral("What food allergies do Daniel and his wife have?"));
        assertTrue(QuestionShape.asksSeveral("AND which one did they climb?"));
    }

    @Test
    void shouldAskSeveralWhenTheQuestionSaysBoth() {
        assertTrue(QuestionShape.asksSeveral("What do Ann and Ben both like?"));
        assertTrue(QuestionShape.asksSeveral("Both of them moved: where to?"));
    }

    @Test
    void shouldAskOneThingWhenAndIsOnlyPartOfAWord() {
        assertFalse(QuestionShape.asksSeveral("Which band did Andrew see in Sandown?"));
        assertFalse(QuestionShape.asksSeveral("What kind of dog is Juniper?"));
        assertFalse(QuestionShape.asksSeveral("Is the android app bothering anyone?"));
        assertFalse(QuestionShape.asksSeveral(""));
    }

    @Test
    void shouldFindTheConjunctionAtEitherEndOfTheQuery() {
        assertTrue(QuestionShape.asksSeveral("and"));
        assertTrue(QuestionShape.asksSeveral("salt, pepper and"));
        assertTrue(QuestionShape.asksSeveral("Ann&Ben, and?"));
    }

    @Test
    void shouldRejectANullQuery() {
        assertThrows(NullPointerException.class, () -> QuestionShape.asksSeveral(null));
        assertThrows(NullPointerException.class, () -> QuestionShape.asksCurrent(null));
    }

    @Test
    void shouldAskForThePresentWhenTheQuestionSaysNowOrCurrentOrTheseDays() {
        assertTrue(QuestionShape.asksCurrent("Which city does Rosa live in now?"));
        assertTrue(QuestionShape.asksCurrent("What is the current disk size of the production database?"));
        assertTrue(QuestionShape.asksCurrent("How often does Theo go climbing these days?"));
        assertTrue(QuestionShape.asksCurrent("Is Maya STILL at Lumen?"));
        assertTrue(QuestionShape.asksCurrent("now"));
    }

    @Test
    void shouldNotAskForThePresentWhenTheWordIsOnlyPartOfAnotherOrTheDaysAreOthers() {
        assertFalse(QuestionShape.asksCurrent("Which city does Rosa live in?"));
        assertFalse(QuestionShape.asksCurrent("Did Ann know about the currents at the beach?"));
        assertFalse(QuestionShape.asksCurrent("What happened on those days?"));
        assertFalse(QuestionShape.asksCurrent("Which snowboard did Ben buy?"));
        assertFalse(QuestionShape.asksCurrent(""));
    }
}
