package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionExtractorTest {
    private final DecisionExtractor extractor = new DecisionExtractor();

    private List<String> extract(final String text) {
        return extractor.extract(text);
    }

    @Test
    void shouldCaptureEachFirstPersonVerb() {
        assertEquals(List.of("refactor the parser"), extract("I will refactor the parser."));
        assertEquals(List.of("split the index"), extract("I am going to split the index."));
        assertEquals(List.of("drop the old cache"), extract("I decided to drop the old cache."));
        assertEquals(List.of("keep the SQL schema"), extract("I chose to keep the SQL schema."));
    }

    @Test
    void shouldCaptureEachGerund() {
        assertEquals(List.of("a new recall index"), extract("Creating a new recall index."));
        assertEquals(List.of("the snapshot writer"), extract("Building the snapshot writer."));
        assertEquals(List.of("a migration script"), extract("Writing a migration script."));
        assertEquals(List.of("lazy link decay"), extract("Implementing lazy link decay."));
    }

    @Test
    void shouldCaptureEachPlanForm() {
        assertEquals(List.of("to shard by tenant"), extract("My decision is to shard by tenant."));
        assertEquals(List.of("Chronicle Map storage"), extract("My choice was Chronicle Map storage."));
        assertEquals(List.of("to ship on Monday"), extract("My plan is to ship on Monday."));
    }

    @Test
    void shouldMatchIgnoringCase() {
        assertEquals(
                List.of("rewrite the planner", "another module here", "to cut the release"),
                extract("i WILL rewrite the planner.\nCREATING another module here.\nmY PlAn WaS to cut the release."));
    }

    @Test
    void shouldStopCaptureAtFirstPeriod() {
        assertEquals(List.of("upgrade to version 2"), extract("I will upgrade to version 2.5 soon."));
    }

    @Test
    void shouldStopCaptureAtLineEndAndTrimIt() {
        assertEquals(List.of("fix the cache layer"), extract("I will fix the cache layer\r\nthen rest"));
        assertEquals(List.of("fix the cache layer"), extract("I will   fix the cache layer   "));
    }

    @Test
    void shouldRequireAtLeastOneCharacterBeforeLineEnd() {
        assertEquals(List.of(), extract("I will \nsee what the tests say."));
    }

    @Test
    void shouldStartCaptureWithPeriodWhenItFollowsDirectly() {
        // The shortest capture has at least one character, which may itself be a period.
        assertEquals(List.of(".net runtime upgrade"), extract("I will .net runtime upgrade."));
    }

    @Test
    void shouldKeepCaptureOnlyWhenTrimmedLengthIsStrictlyBetweenTenAndTwoHundred() {
        assertEquals(List.of(), extract("I will abcdefghij."));
        assertEquals(List.of("abcdefghijk"), extract("I will abcdefghijk."));
        final String longest = "a".repeat(199);
        assertEquals(List.of(longest), extract("I will " + longest + "."));
        assertEquals(List.of(), extract("I will " + longest + "a."));
    }

    @Test
    void shouldMeasureLengthInCodePoints() {
        final String rocket = "\uD83D\uDE80";
        assertEquals(List.of(), extract("I will ship " + rocket.repeat(5) + "."));
        assertEquals(List.of("ship " + rocket.repeat(6)), extract("I will ship " + rocket.repeat(6) + "."));
    }

    @Test
    void shouldFindSeveralDecisionsInOrderOfPosition() {
        assertEquals(
                List.of("the exporter first", "add a checksum test", "to merge by counts"),
                extract(
                        "Building the exporter first. Then I will add a checksum test.\nMy plan is to merge by counts."));
    }

    @Test
    void shouldKeepDuplicates() {
        assertEquals(
                List.of("fix the cache layer", "fix the cache layer"),
                extract("I will fix the cache layer. I will fix the cache layer."));
    }

    @Test
    void shouldKeepOverlappingCapturesOfDifferentPatterns() {
        assertEquals(List.of("be creating a new module", "a new module"), extract("I will be creating a new module."));
    }

    @Test
    void shouldNotOverlapMatchesOfOnePattern() {
        assertEquals(List.of("say I will go home now"), extract("I will say I will go home now."));
    }

    @Test
    void shouldMatchWithoutWordBoundaryBeforePattern() {
        assertEquals(List.of("rewrite the planner"), extract("AI will rewrite the planner."));
        assertEquals(List.of("the whole parser"), extract("Rewriting the whole parser."));
    }

    @Test
    void shouldRequireSingleSpaceBetweenPatternWords() {
        assertEquals(List.of(), extract("I  will rewrite the planner.\nI will\trewrite the planner."));
    }

    @Test
    void shouldReturnEmptyWhenNoPatternMatches() {
        assertEquals(List.of(), extract(""));
        assertEquals(List.of(), extract("The weather is nice and nothing was decided."));
    }

    @Test
    void shouldRejectNullText() {
        assertThrows(NullPointerException.class, () -> extract(null));
    }
}
