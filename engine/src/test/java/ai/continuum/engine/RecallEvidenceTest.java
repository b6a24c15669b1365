package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Multi-hop links, named times, newer statements, and the explanation each returned memory carries. */
class RecallEvidenceTest {
    private static final long DAY = 86_400_000L;
    private static final long T0 =
            LocalDate.of(2023, 1, 2).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    private final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults(), () -> T0 + 100 * DAY);
    private long id;

    @AfterEach
    void close() {
        engine.close();
    }

    private long say(final String text, final int day) {
        id++;
        engine.learn("t", new Turn(id, text, "", "", "s" + day, "", T0 + day * DAY + id * 60_000L));
        return id;
    }

    private List<Long> ranking(final RecallResult r) {
        return r.memories().stream().map(m -> m.memory().id()).toList();
    }

    private RecallResult.Why why(final RecallResult r, final long memory) {
        return r.memories().stream()
                .filter(m -> m.memory().id() == memory)
                .findFirst()
                .orElseThrow()
                .why();
    }

    @Test
    void shouldRankTheNextHopRightAfterItsSourceWhenOnlyARareNameLinksThem() {
        final long uncle = say("Ann: My uncle Sunniva works as a zookeeper these days.", 1);
        say("Ann: Let's grab coffee next week.", 2);
        final long pet = say("Ann: Sunniva got a tortoise last month, it is called Juniper.", 10);
        say("Ann: We should plan a trip somewhere soon.", 11);
        final long clinic = say(
                "Ann: Juniper had to stay overnight at the Larchmont clinic, poor thing, but Sunniva "
                        + "says all is fine now.",
                20);

        final RecallResult r = engine.recall("t", "Which clinic treated the pet of the uncle of Ann?", 10, 10);

        assertTrue(
                ranking(r).subList(0, 3).containsAll(List.of(uncle, pet, clinic)),
                ranking(r).toString());
        assertTrue(why(r, pet).linkedTurn() > 0, why(r, pet).toString());
        assertTrue(
                why(r, pet).reasons().contains("linked_turn"),
                why(r, pet).reasons().toString());
        final double source = r.memories().stream()
                .filter(m -> m.memory().id() != pet)
                .mapToDouble(RecallResult.MemoryHit::score)
                .max()
                .orElseThrow();
        assertTrue(
                r.memories().stream()
                                .filter(m -> m.memory().id() == pet)
                                .findFirst()
                                .orElseThrow()
                                .score()
                        < source,
                "a linked turn ranks after the memory that led to it");
    }

    @Test
    void shouldNotLinkARareWordToATurnWithNoEvidenceOfItsOwn() {
        final long source = say("Ann: Bertil repaired the old lighthouse, an enormous job.", 1);
        final long unrelated = say("Ann: The pizza last night was enormous.", 30);
        final long weaker = say("Ann: The lighthouse keeper retired in spring.", 60);

        final RecallResult r = engine.recall("t", "Who repaired the old lighthouse?", 10, 10);

        // "enormous" is said in two memories only, but the other one matches nothing of the question: a word shared
        // by chance is no lead (it took a linked turn's share, a third of the source's score, and a place)
        assertEquals(source, ranking(r).get(0), ranking(r).toString());
        assertTrue(ranking(r).contains(weaker), ranking(r).toString());
        assertFalse(ranking(r).contains(unrelated), ranking(r).toString());
    }

    @Test
    void shouldGiveTheShortTurnBeforeAMatchOnlyPartOfItsShare() {
        final long nice = say("Ben: Nice!", 1);
        say("Ann: My grandmother Rosalind turned one hundred yesterday.", 1);
        final long drive = say("Ben: We drove down to the coast for the weekend with the whole family.", 2);
        say("Ann: Rosalind, my grandmother, turned one hundred last week.", 2);

        final RecallResult r = engine.recall("t", "When did my grandmother Rosalind turn one hundred?", 10, 10);

        // both come right before an equally strong match; "Nice!" says nothing (two terms of six), so it takes a
        // third of what the fuller turn takes
        final double few = why(r, nice).sessionNeighbour();
        final double full = why(r, drive).sessionNeighbour();
        assertTrue(few > 0 && few < 0.5 * full, few + " against " + full);
    }

    /**
     * A name said in 12 memories (more than the rare-word links follow), four short "got a job" memories of others,
     * and the long one stating the named person's job; returns that last memory.
     */
    private long nameSaidOftenAndItsJob() {
        for (int day = 2; day <= 11; day++) {
            say("Ann: I bumped into Anselm at the market again, day " + day + " of the fair.", day);
        }
        for (final String other : List.of("Bruno", "Carla", "Dmitri", "Esme")) {
            say("Ann: " + other + " got a job.", 12);
        }
        return say(
                "Ann: Anselm got a job as a pharmacist at the old town chemist, they start next month, "
                        + "which is great news after all that waiting.",
                20);
    }

    @Test
    void shouldBridgeOverANameSaidOftenToTheMemoryMatchingTheQuestionsOtherHalf() {
        assertBridgesToTheJobFrom("Ann: Funny thing, Anselm is Rosa's aunt, I had no idea until yesterday.");
    }

    @Test
    void shouldBridgeOverANameTheSourceFirstSaysToOpenASentence() {
        // the first "Anselm" opens a sentence, so only the second says it as a name; the memory's one entry for the
        // word must still be marked as a name
        assertBridgesToTheJobFrom("Ann: Anselm is Rosa's aunt, and I only met Anselm once, at the wedding.");
    }

    /** The source memory {@code auntText} names Anselm as Rosa's aunt; the turn stating his job must come next. */
    private void assertBridgesToTheJobFrom(final String auntText) {
        final long aunt = say(auntText, 1);
        final long job = nameSaidOftenAndItsJob();

        final RecallResult r = engine.recall("t", "What job does Rosa's aunt have?", 10, 10);

        assertEquals(List.of(aunt, job), ranking(r).subList(0, 2), ranking(r).toString());
        assertTrue(
                why(r, job).reasons().contains("linked_turn"),
                why(r, job).reasons().toString());
    }

    /** A name said in a dozen memories, its first home, later small talk, and the move; returns {home, move}. */
    private long[] homeAndMove() {
        cityInSmallTalk();
        // where others live is said more often than Rosa's name: her name, not the verb, is what the memories share
        for (final String other : List.of("Bruno", "Carla", "Dmitri", "Esme", "Farid", "Greta", "Hugo", "Ines")) {
            say("Ben: " + other + " lives in Ghent, near the station.", 25);
            say("Ben: " + other + " lives in Porto, near the river.", 26);
        }
        final long home = say("Ann: Rosa lives in Antwerp, right by the old market.", 1);
        for (int day = 2; day <= 12; day++) {
            say("Ann: I bumped into Rosa at the supermarket on day " + day + ".", day);
        }
        final long move = say("Ann: Rosa packed everything up and moved from Antwerp to Naples last week.", 20);
        for (int day = 21; day <= 24; day++) {
            say("Ann: Rosa says hi, by the way, day " + day + ".", day);
        }
        return new long[] {home, move};
    }

    @Test
    void shouldPlaceTheLaterStatementRightAfterTheOneItChangesWhenTheQuestionAsksForThePresent() {
        final long[] homeAndMove = homeAndMove();

        final RecallResult r = engine.recall("t", "Which city does Rosa live in now?", 10, 10);

        assertEquals(
                List.of(homeAndMove[0], homeAndMove[1]),
                ranking(r).subList(0, 2),
                ranking(r).toString());
        assertTrue(
                why(r, homeAndMove[1]).reasons().contains("linked_turn"),
                why(r, homeAndMove[1]).reasons().toString());
    }

    @Test
    void shouldNotLookForALaterStatementWhenTheQuestionDoesNotAskForThePresent() {
        final long[] homeAndMove = homeAndMove();

        final RecallResult r = engine.recall("t", "Which city does Rosa live in?", 10, 10);

        assertEquals(homeAndMove[0], ranking(r).get(0), ranking(r).toString());
        assertTrue(ranking(r).indexOf(homeAndMove[1]) != 1, ranking(r).toString());
    }

    private void cityInSmallTalk() {
        for (int i = 0; i < 10; i++) {
            say("Ben: I watched a documentary about Antwerp last night, part " + i + ".", 30 + i);
        }
    }

    @Test
    void shouldNotTakeAnOlderOrAnotherSubjectsStatementForTheLaterOne() {
        final long older = say("Ann: Rosa moved to Antwerp years ago, she says.", 0);
        final long[] homeAndMove = homeAndMove();
        final long other = say("Ann: Bruno lives in Antwerp too, since last winter.", 40);

        final RecallResult r = engine.recall("t", "Which city does Rosa live in now?", 10, 10);

        assertEquals(
                List.of(homeAndMove[0], homeAndMove[1]),
                ranking(r).subList(0, 2),
                r.memories().toString());
        assertFalse(
                ranking(r).contains(older) && why(r, older).reasons().contains("linked_turn"),
                r.memories().toString());
        assertFalse(
                ranking(r).contains(other) && why(r, other).reasons().contains("linked_turn"),
                r.memories().toString());
    }

    @Test
    void shouldNotBridgeOverTheNameOfThePersonSpokenTo() {
        final long aunt = say("Ann: Thanks, Anselm. So Rosa's aunt is the lovely neighbour, I had no idea.", 1);
        final long job = nameSaidOftenAndItsJob();

        final RecallResult r = engine.recall("t", "What job does Rosa's aunt have?", 10, 10);

        assertEquals(aunt, ranking(r).get(0), ranking(r).toString());
        assertFalse(
                why(r, job).reasons().contains("linked_turn"),
                why(r, job).reasons().toString());
    }

    /**
     * A dozen memories each matching two of a question's words (one of {@code pairs}, in turn), each alone in its
     * session, the newer ones stronger (shorter): the first places of a recall, none of them the evidence sought.
     */
    private void strongerMatchesInOtherSessions(final String... pairs) {
        final String[] fillers = {
            "amber", "basil", "cedar", "delta", "ember", "fjord", "glade", "heron", "inlet", "juniper", "kelp", "lilac",
            "maple", "nettle"
        };
        for (int day = 2; day < 14; day++) {
            say("Ann: " + pairs[day % pairs.length] + (" " + fillers[day]).repeat(14 - day) + ".", day);
        }
    }

    @Test
    void shouldPlaceTheReplyCompletingTheSecondAskAfterTheFirstPlacesWhenTheQuestionAsksTwoThings() {
        final long source = say("Ann: My neighbour Bruno helped carry the piano up to the flat.", 1);
        final long reply = say("Ben: Passed his pilot exams last month, by the way.", 1);
        strongerMatchesInOtherSessions("helped carry", "carry the piano", "piano, helped");

        final RecallResult oneAsk = engine.recall("t", "Who helped carry the piano?", 10, 20);
        final RecallResult twoAsks =
                engine.recall("t", "Who helped carry the piano, and what did he qualify as?", 10, 20);

        assertEquals(source, ranking(twoAsks).get(0), ranking(twoAsks).toString());
        assertTrue(
                ranking(oneAsk).indexOf(reply) >= 10, "without a second ask the reply stays low: " + ranking(oneAsk));
        assertEquals(5, ranking(twoAsks).indexOf(reply), "right after the first places: " + ranking(twoAsks));
        assertEquals(
                ranking(oneAsk).subList(0, 5),
                ranking(twoAsks).subList(0, 5),
                "the first places stay with the strongest evidence");
        final RecallResult.MemoryHit hit = twoAsks.memories().get(5);
        assertEquals(List.of("session_neighbour"), hit.why().reasons(), "the reply shares no word with the question");
        assertTrue(hit.score() < twoAsks.memories().get(4).score(), "a completion never ranks above the first places");
        assertEquals(hit.score(), hit.why().sessionNeighbour(), 1e-9, "the score is the evidence its reason names");
    }

    @Test
    void shouldPlaceTheAnswerToAReplyThatAsksBackRightAfterItWhenTheQuestionAsksTwoThings() {
        final long source = say("Ann: I signed up for the Berlin marathon in September.", 1);
        final long askedBack = say("Ben: Congratulations! Any target in mind?", 1);
        final long answer = say("Ann: Under three hours forty-five, ideally.", 1);
        strongerMatchesInOtherSessions("signed up", "Berlin marathon", "marathon, signed");

        final RecallResult r =
                engine.recall("t", "Who signed up for the Berlin marathon, and what did she hope for?", 10, 20);

        assertEquals(source, ranking(r).get(0), ranking(r).toString());
        assertEquals(5, ranking(r).indexOf(askedBack), "the reply completes the first places: " + ranking(r));
        assertEquals(6, ranking(r).indexOf(answer), "and the answer to what it asked comes next: " + ranking(r));
        final RecallResult.MemoryHit hit = r.memories().get(6);
        assertEquals(List.of("session_neighbour"), hit.why().reasons(), "the answer shares no word with the question");
        assertTrue(hit.score() < r.memories().get(5).score(), "below the reply that asked");
    }

    @Test
    void shouldReturnNothingWhenAQuestionAskingTwoThingsMatchesNoMemory() {
        say("Ann: The weather was lovely today.", 1);

        final RecallResult r = engine.recall("t", "Which zeppelin and which quasar?", 10, 10);

        assertEquals(List.of(), ranking(r));
    }

    @Test
    void shouldRankTheNewerStatementFirstWhenTheSameFactIsRestated() {
        final long ghent = say("Ann: I live in Ghent now.", 1);
        say("Ann: Work has been busy this week.", 2);
        final long lisbon = say("Ann: I live in Lisbon now, near the river.", 40);

        final RecallResult r = engine.recall("t", "Which city does Ann live in now?", 10, 10);

        assertEquals(List.of(lisbon, ghent), ranking(r).subList(0, 2));
        assertTrue(
                r.memories().get(0).score() < r.memories().get(1).score(),
                "the older, shorter statement scores higher on words alone; time puts the newer first");
        assertTrue(why(r, lisbon).newerStatement());
        assertTrue(why(r, lisbon).reasons().contains("newer_statement"));
        assertFalse(why(r, ghent).newerStatement());
    }

    @Test
    void shouldPreferTheMemoryInTheNamedMonthWhenTheQueryNamesOne() {
        say("Ann: I saw Moonlit Tram live tonight, what a show.", 10); // January 2023
        final long february = say("Ann: I saw the Velvet Foxes live tonight, what a show!", 40);
        say("Ann: I saw Copper Harbour live tonight, what a show.", 70); // March 2023

        final RecallResult r = engine.recall("t", "Which band did Ann see live in February 2023?", 10, 10);

        assertEquals(february, ranking(r).get(0));
        assertTrue(why(r, february).inNamedTime());
        assertTrue(why(r, february).reasons().contains("named_time"));
        assertFalse(r.memories().get(1).why().inNamedTime());
    }

    @Test
    void shouldPreferTheMemoryInTheNamedMonthOverMoreMatchesThanTheRankingKeepsOutsideIt() {
        // 24 turns outside February match one more query word than February's; the month's factor must still lift
        // February's turn from below every place kept before the factor applies (the others make the words rare)
        for (int i = 0; i < 12; i++) {
            say("Ann saw a band live, what a show " + i, 1 + i);
            say("Ann saw a band live, what a show " + (12 + i), 60 + i);
        }
        for (int i = 0; i < 60; i++) {
            say("Ben cooked pasta for dinner " + i, 1 + i);
        }
        final long february = say("Ann saw a band.", 40);

        final RecallResult r = engine.recall("t", "Which band did Ann see live in February 2023?", 10, 5);

        assertEquals(february, ranking(r).get(0), ranking(r).toString());
        assertTrue(why(r, february).inNamedTime());
    }

    @Test
    void shouldPreferTheWeekAfterTheNamedEventWhenTheQueryAsksForIt() {
        say("Ann: This week I played squash after work.", 3);
        say("Ann: The office quiz night was lovely, thanks for coming.", 10);
        final long after = say("Ann: This week I went bouldering after work, my arms hurt.", 15);
        say("Ann: This week I went kayaking after work.", 30);

        final RecallResult r = engine.recall("t", "What did Ann do the week after the office quiz night?", 10, 10);

        final List<Long> ranking = ranking(r);
        assertTrue(ranking.indexOf(after) >= 0 && ranking.indexOf(after) <= 1, ranking.toString());
        assertTrue(why(r, after).inNamedTime());
        assertEquals(1, r.memories().stream().filter(m -> m.why().inNamedTime()).count());
    }

    @Test
    void shouldShareWithSessionNeighboursWhenTheirSlotsGrowTheScoreArrays() {
        // 256 matching turns fill the first score arrays exactly; the top ones' neighbours are new and grow them
        for (int i = 0; i < 256; i++) {
            say("Ann: alpha report number " + i, 1);
            say("Ben: noted, thanks " + i, 1);
        }

        final RecallResult r = engine.recall("t", "alpha", 10, 20);

        assertEquals(20, r.memories().size(), "recall answers instead of failing on the grown arrays");
        assertTrue(r.memories().stream().allMatch(m -> m.why().lexical() > 0));
    }

    @Test
    void shouldExplainLexicalAndSessionEvidenceWhenNothingElseApplies() {
        final long question = say("Theo: What is your new job?", 1);
        final long answer = say("Maya: A nurse at the children's hospital.", 1);

        final RecallResult r = engine.recall("t", "What is Maya's new job?", 10, 10);

        assertTrue(why(r, question).lexical() > 0);
        assertTrue(
                why(r, answer).reasons().contains("session_neighbour"),
                why(r, answer).reasons().toString());
        for (final RecallResult.MemoryHit hit : r.memories()) {
            assertFalse(hit.why().reasons().isEmpty(), "every memory says why it was chosen");
        }
    }

    @Test
    void shouldGiveTheAuxiliariesOfTheQuestionNoWeight() {
        final long asked = say("Rosalind: Did Magda OK it?", 1);
        final long reply = say("Kwame: She did, no problem.", 1);
        say("Rosalind: How is the team doing?", 2);
        final long pulled = say("Kwame: The backend job ad has been pulled, no new hires till the autumn.", 2);

        final RecallResult r = engine.recall("t", "Why did they stop hiring for the backend job?", 10, 10);

        assertEquals(pulled, ranking(r).get(0), ranking(r).toString());
        assertFalse(ranking(r).contains(asked), "a turn sharing only 'did' with the question: " + ranking(r));
        assertFalse(ranking(r).contains(reply), "nor its reply: " + ranking(r));
    }

    @Test
    void shouldPlaceTheReplyToAMatchingQuestionAboveAWeakerDirectMatch() {
        for (int day = 20; day < 40; day++) {
            say("Ann: The weather was grey again today, day " + day + ".", day);
        }
        final long dinner = say("Ann: My family is coming over for dinner on Friday.", 2);
        say("Ann: Where in Sicily are you staying?", 5);
        final long reply = say("Ben: An apartment in Cefalu for the first week.", 5);

        final List<Long> ranking = ranking(engine.recall("t", "Where in Sicily is the family staying?", 10, 10));

        assertTrue(ranking.indexOf(reply) >= 0 && ranking.indexOf(reply) < ranking.indexOf(dinner), ranking.toString());
    }

    @Test
    void shouldReturnARepeatedTextOnceBeforeTheOtherMatches() {
        for (int day = 1; day <= 4; day++) {
            say("Ann: Bob says hi, by the way.", day);
        }
        final long job = say("Ann: Bob got a new job at the harbour office, near the old lighthouse on the hill.", 6);

        final RecallResult r = engine.recall("t", "What about Bob?", 10, 2);

        assertEquals(2, r.memories().size());
        assertEquals(
                job, r.memories().get(1).memory().id(), "a repeat of the first text does not take the second place");
    }
}
