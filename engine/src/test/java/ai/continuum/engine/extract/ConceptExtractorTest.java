package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConceptExtractorTest {
    private final ConceptExtractor extractor = new ConceptExtractor(ConceptExtractor.DEFAULT_MAX_CONCEPTS_PER_MESSAGE);

    private List<String> extract(final String text) {
        return extractor.extract(text);
    }

    // --- (a) multi-word Title-Case phrases

    @Test
    void shouldExtractPhraseWhenTwoTitleCaseWordsAreAdjacent() {
        assertEquals(List.of("Neural Nets"), extract("we studied Neural Nets today"));
    }

    @Test
    void shouldExtractLongestRunWhenSeveralTitleCaseWordsFollowEachOther() {
        assertEquals(List.of("Grand Central Station"), extract("meet me at Grand Central Station tonight"));
    }

    @Test
    void shouldNotJoinTitleCaseWordsWhenSeparatedByPunctuation() {
        assertEquals(List.of(), extract("apples, Pears, Plums; Figs"));
    }

    @Test
    void shouldEndPhraseWhenNextWordIsNotPureTitleCase() {
        // "Learning2" and "LearningRate" are whole words that are not Title-Case, so they neither join nor yield
        // their "Learning" prefix.
        assertEquals(List.of(), extract("try Deep Learning2 now"));
        assertEquals(List.of("LearningRate"), extract("try Deep LearningRate now"));
    }

    @Test
    void shouldRequireLowercaseAfterCapitalWhenFormingPhrase() {
        assertEquals(List.of(), extract("the A Team and I Am here"));
    }

    @Test
    void shouldFoldWhitespaceWhenPhraseSpansSpacesTabsOrLineBreaks() {
        assertEquals(List.of("Machine Learning", "Learning"), extract("about Machine \t\n  Learning today"));
    }

    // --- (b) single Title-Case words

    @Test
    void shouldExtractSingleTitleCaseWordWhenAtLeastEightLetters() {
        assertEquals(List.of("Kubernetes"), extract("we deploy on Kubernetes daily"));
        assertEquals(List.of("Hologram"), extract("a Hologram"));
    }

    @Test
    void shouldSkipSingleTitleCaseWordWhenShorterThanEightLetters() {
        assertEquals(List.of(), extract("Today was sunny. Please reply, Paris."));
    }

    @Test
    void shouldAlsoExtractLongWordsInsidePhrases() {
        assertEquals(List.of("Machine Learning", "Learning"), extract("I like Machine Learning"));
    }

    // --- (c) quoted text

    @Test
    void shouldExtractQuotedTextWhenStraightQuotes() {
        assertEquals(List.of("vector search"), extract("we call it \"vector search\" here"));
    }

    @Test
    void shouldExtractQuotedTextWhenTypographicQuotes() {
        assertEquals(List.of("vector search"), extract("we call it \u201Cvector search\u201D here"));
    }

    @Test
    void shouldTrimAndFoldQuotedText() {
        assertEquals(List.of("vector search"), extract("\"  vector   search \""));
    }

    @Test
    void shouldRejectQuotedTextWhenItContainsCodeIndicator() {
        for (final String indicator : CodeSpans.INDICATORS) {
            final String text = "see \"abc " + indicator + " xyz\"";
            assertEquals(List.of(), extract(text), () -> "indicator " + indicator);
        }
    }

    @Test
    void shouldRejectQuotedTextWhenItContainsLineBreak() {
        assertEquals(List.of(), extract("\"first line\nsecond line\""));
        assertEquals(List.of(), extract("\"first line\r\nsecond line\""));
    }

    @Test
    void shouldRejectQuotedTextWhenLongerThanHundredCharacters() {
        final String hundred = "a".repeat(ConceptExtractor.MAX_LENGTH);
        assertEquals(List.of(hundred), extract("\"" + hundred + "\""));
        assertEquals(List.of(), extract("\"" + hundred + "a\""));
    }

    @Test
    void shouldPairStraightQuotesLeftToRightWhenAnEmptyPairOccurs() {
        // As with the regex "([^"]+)": the empty pair is skipped and its second quote opens the next string.
        assertEquals(List.of("then words"), extract("\"\"then words\" tail"));
    }

    @Test
    void shouldUseInnermostOpeningMarkWhenTypographicQuotesAreUnbalanced() {
        assertEquals(List.of("inner term"), extract("\u201Cdangling \u201Cinner term\u201D"));
    }

    // --- (d) CamelCase

    @Test
    void shouldExtractCamelCaseWords() {
        assertEquals(
                List.of("TensorFlow", "JavaScript", "PostgreSQL", "McDonald"),
                extract("use TensorFlow, JavaScript, PostgreSQL and McDonald"));
    }

    @Test
    void shouldNotExtractCamelCaseWhenShapeDiffers() {
        // lowercase start, all capitals, capital run first, trailing digit, single trailing capital
        assertEquals(List.of(), extract("iPhone HTML XMLHttpRequest TensorFlow2 PostgreS"));
    }

    // --- code stripping

    @Test
    void shouldIgnoreFencedCodeBlockWhenItHasLanguageWord() {
        final String text = "Before Kubernetes\n```python\nclass DataLoader: \"Hidden Phrase\" TensorFlow\n```\nafter";
        assertEquals(List.of("Kubernetes"), extract(text));
    }

    @Test
    void shouldIgnoreFencedCodeBlockWhenItHasNoLanguageWord() {
        assertEquals(List.of("Kubernetes"), extract("Kubernetes\n```\nTensorFlow Machine Learning\n```\n"));
    }

    @Test
    void shouldIgnoreFencedCodeBlockWhenInfoWordHasSymbolsOrLineEndsWithCarriageReturn() {
        assertEquals(List.of(), extract("```c++\r\nTensorFlow JavaScript\r\n```"));
    }

    @Test
    void shouldIgnoreInlineCodeSpans() {
        assertEquals(List.of("Kubernetes"), extract("run `TensorFlow \"Quoted Name\"` on Kubernetes"));
    }

    @Test
    void shouldNotGlueWordsTogetherWhenCodeSpanSitsBetweenThem() {
        assertEquals(List.of(), extract("Tensor`x`Flow"));
    }

    @Test
    void shouldNotJoinPhraseAcrossRemovedCode() {
        assertEquals(List.of(), extract("Hello `name` World"));
    }

    @Test
    void shouldReadRemovedCodeAsSpaceInsideQuotedText() {
        assertEquals(List.of("call then return"), extract("\"call `f(x)` then return\""));
    }

    @Test
    void shouldKeepTextAfterUnclosedFence() {
        assertEquals(List.of("Kubernetes"), extract("```\nKubernetes"));
    }

    // --- filters

    @Test
    void shouldDropCandidateWhenItEqualsStopWordCaseSensitively() {
        assertEquals(List.of("the"), extract("\"The\" and \"the\""));
        assertEquals(List.of(), extract("Certainly, Absolutely, Checking, Analysis."));
    }

    @Test
    void shouldStripLeadingStopWordsFromPhrase() {
        assertEquals(List.of("Machine Learning", "Learning"), extract("The Machine Learning works"));
        assertEquals(List.of("Vector Index"), extract("After This Vector Index ..."));
    }

    @Test
    void shouldStripTheVerbOrPronounAQuestionOpensWith() {
        assertEquals(
                List.of("Kafka Streams", "Release Train"), extract("Should Kafka Streams join the Release Train?"));
        assertEquals(List.of("Machine Learning", "Learning"), extract("Does Machine Learning help?"));
        assertEquals(List.of("Vector Index"), extract("Which Vector Index?"));
        assertEquals(List.of(), extract("Is Kafka down? Did Paris answer?"));
    }

    @Test
    void shouldKeepAQuestionWordThatIsAlsoAFirstName() {
        assertEquals(List.of("Will Smith", "May Chen"), extract("Will Smith met May Chen"));
    }

    @Test
    void shouldDropPhraseWhenStrippingLeavesOneWord() {
        assertEquals(List.of(), extract("The Cat sat. When Paris sleeps."));
    }

    @Test
    void shouldKeepStopWordsInsidePhrase() {
        assertEquals(List.of("Pride And Prejudice", "Prejudice"), extract("read Pride And Prejudice"));
    }

    @Test
    void shouldKeepPhraseWhenCodeIndicatorOnlyMatchesAcrossWordTail() {
        assertEquals(
                List.of("Scarlet Witch", "Subclass Hierarchy", "Subclass", "Hierarchy"),
                extract("Scarlet Witch and Subclass Hierarchy"));
    }

    @Test
    void shouldDropCandidateWhenShorterThanThreeCharacters() {
        assertEquals(List.of("abc"), extract("\"ab\" \"abc\" \"  x \""));
    }

    @Test
    void shouldDropPhraseWhenLongerThanHundredCharacters() {
        final String longPhrase = String.join(" ", java.util.Collections.nCopies(30, "Abc"));
        assertTrue(longPhrase.length() > ConceptExtractor.MAX_LENGTH);
        assertEquals(List.of(), extract(longPhrase));
    }

    @Test
    void shouldRemoveExactDuplicatesKeepingFirstAppearance() {
        assertEquals(
                List.of("Kubernetes", "TensorFlow", "kubernetes"),
                extract("Kubernetes and TensorFlow and \"kubernetes\" then Kubernetes and \"TensorFlow\""));
    }

    // --- order and cap

    @Test
    void shouldListConceptsInOrderOfFirstAppearanceAcrossKinds() {
        assertEquals(
                List.of("quoted first", "TensorFlow", "Neural Network", "Kubernetes"),
                extract("\"quoted first\" TensorFlow, Neural Network; Kubernetes"));
    }

    @Test
    void shouldKeepAtMostTheCapWhenMessageHasMoreConcepts() {
        final List<String> expected = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            final String concept = "concept number " + (char) ('a' + i);
            expected.add(concept);
            text.append('"').append(concept).append("\" ");
        }
        assertEquals(expected.subList(0, 20), extract(text.toString()));
        assertEquals(expected.subList(0, 3), new ConceptExtractor(3).extract(text.toString()));
        assertEquals(expected, new ConceptExtractor(1000).extract(text.toString()));
    }

    @Test
    void shouldRejectCapBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new ConceptExtractor(0));
    }

    // --- Unicode

    @Test
    void shouldExtractPhraseWhenWordsHaveNonAsciiLetters() {
        assertEquals(
                List.of("Zoë Ørsted", "Élodie Dupont", "Große Straße"),
                extract("Zoë Ørsted met Élodie Dupont in der Große Straße."));
    }

    @Test
    void shouldExtractLongSingleWordWhenItStartsWithNonAsciiCapital() {
        assertEquals(List.of("Österreich", "Ἀθηναῖοι"), extract("in Österreich und Ἀθηναῖοι"));
    }

    @Test
    void shouldKeepCombiningMarksWithTheirLetter() {
        final String decomposed = "Zoe\u0308 Orsted";
        assertEquals(List.of(decomposed), extract(decomposed + " spoke"));
    }

    @Test
    void shouldExtractNothingFromUncasedScriptsOutsideQuotes() {
        assertEquals(List.of("機械学習"), extract("東京で 機械学習 を \"機械学習\""));
    }

    @Test
    void shouldTreatTitlecaseLetterAsCapital() {
        assertEquals(List.of("ǅemal Bijedić"), extract("ǅemal Bijedić"));
    }

    @Test
    void shouldHandleSupplementaryCharacters() {
        // Deseret capital and small letters lie outside the Basic Multilingual Plane.
        final String deseret = "\uD801\uDC00\uD801\uDC28\uD801\uDC29 \uD801\uDC01\uD801\uDC2A\uD801\uDC2B";
        assertEquals(List.of(deseret), extract(deseret));
    }

    @Test
    void shouldReturnEmptyListWhenTextIsEmpty() {
        assertEquals(List.of(), extract(""));
    }

    @Test
    void shouldReturnUnmodifiableList() {
        assertThrows(
                UnsupportedOperationException.class, () -> extract("Kubernetes").add("x"));
    }

    @Test
    void shouldRejectNullText() {
        assertThrows(NullPointerException.class, () -> extract(null));
    }
}
