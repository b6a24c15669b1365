package ai.continuum.engine.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryTermsTest {

    private static List<String> concepts(final String query) {
        return QueryTerms.of(query).concepts();
    }

    private static List<String> keywords(final String query) {
        return QueryTerms.of(query).keywords();
    }

    @Test
    void shouldFindCamelCaseWithTwoOrMoreTitleCaseSegments() {
        assertEquals(List.of("DataLoader", "HashMapEntry"), concepts("is DataLoader or HashMapEntry slow"));
    }

    @Test
    void shouldFindCamelCaseFromExtractorEvenWhenSegmentsAreNotTitleCase() {
        // "PostgreSQL" fails the query shape (its last segment is all capitals) but the extractor finds it.
        assertEquals(List.of("PostgreSQL"), concepts("why is PostgreSQL slow"));
    }

    @Test
    void shouldFindSnakeCase() {
        assertEquals(List.of("max_concepts", "hebbian_rate"), concepts("set max_concepts and hebbian_rate"));
    }

    @Test
    void shouldNotFindSnakeCaseWhenShapeDiffers() {
        assertEquals(List.of(), concepts("_private trailing_ double__under max_2 foo_bar2"));
    }

    @Test
    void shouldFindAcronymsOfTwoOrMoreCapitals() {
        assertEquals(List.of("HTTP", "API"), concepts("the HTTP API, not HTML5 nor a lone I"));
    }

    @Test
    void shouldFindPiTimesPhiLiteral() {
        assertEquals(List.of("π×φ", "π*φ"), concepts("what is π×φ or π*φ but not π+φ"));
    }

    @Test
    void shouldFindQuotedStringsEvenWhenTheyLookLikeCode() {
        assertEquals(
                List.of("exact phrase", "foo()", "ok"), concepts("find \"exact phrase\" and \u201Cfoo()\u201D \"ok\""));
    }

    @Test
    void shouldRejectQuotedStringWhenTooShortTooLongOrMultiLine() {
        assertEquals(List.of(), concepts("\"x\" \"" + "y".repeat(101) + "\" \"two\nlines\""));
    }

    @Test
    void shouldStripLeadingExtractionAndQueryStopWordsFromPhrases() {
        // The extractor strips "Is" too (a question opener), so the phrase learned from such a question is the one
        // the query names.
        assertEquals(List.of("Machine Learning", "Learning"), concepts("What Is Machine Learning"));
    }

    @Test
    void shouldIncludeEverythingTheConceptExtractorFinds() {
        final String query = "Tell me about Kubernetes, \"vector search\", TensorFlow and Zoë Ørsted";
        final List<String> concepts = concepts(query);
        assertTrue(concepts.containsAll(new ConceptExtractor(QueryTerms.MAX_TERMS).extract(query)), concepts::toString);
        assertEquals(List.of("Kubernetes", "vector search", "TensorFlow", "Zoë Ørsted"), concepts);
    }

    @Test
    void shouldReadQueryFormsInsideCodeSpansButNotExtractorForms() {
        assertEquals(List.of("foo_bar"), concepts("why does `foo_bar Kubernetes` fail"));
    }

    @Test
    void shouldDeduplicateCaseInsensitivelyKeepingFirstSpelling() {
        assertEquals(List.of("TensorFlow"), concepts("TensorFlow vs \"tensorflow\" vs \"TENSORFLOW\""));
    }

    @Test
    void shouldListConceptsInOrderOfFirstAppearance() {
        assertEquals(
                List.of("API", "max_concepts", "DataLoader", "quoted"),
                concepts("API then max_concepts then DataLoader then \"quoted\""));
    }

    @Test
    void shouldCapConceptsAtMaxTerms() {
        final StringBuilder query = new StringBuilder();
        for (int i = 0; i < QueryTerms.MAX_TERMS + 20; i++) {
            query.append("\"term").append(i).append("\" ");
        }
        final List<String> concepts = concepts(query.toString());
        assertEquals(QueryTerms.MAX_TERMS, concepts.size());
        assertEquals("term0", concepts.get(0));
    }

    // --- keywords

    @Test
    void shouldTakeWordsOfFourOrMoreLettersAsKeywords() {
        assertEquals(List.of("graph", "recall", "memory"), keywords("a big graph for recall of memory"));
    }

    @Test
    void shouldDropQueryStopWordsFromKeywords() {
        assertEquals(List.of("links"), keywords("What would these links have been about, and where"));
    }

    @Test
    void shouldLowerCaseKeywordsAndAllowCapitalFirstLetter() {
        assertEquals(List.of("graph", "traversal"), keywords("Graph Traversal"));
    }

    @Test
    void shouldSkipWordsWithInnerCapitalsDigitsOrUnderscoresAsKeywords() {
        assertEquals(List.of(), keywords("HTML TensorFlow word2vec max_concepts"));
    }

    @Test
    void shouldKeepUnicodeKeywords() {
        assertEquals(List.of("straße", "élodie", "ἀθηναῖοι"), keywords("Straße Élodie Ἀθηναῖοι Zoë"));
    }

    @Test
    void shouldTellStopWordsAndRepeatsAfterLowerCasingEvenOutsideAscii() {
        // the Kelvin sign lower-cases to an ASCII k: "\u212Aafka" is "kafka" again, and "\u212Anow" the stop word
        // "know"
        assertEquals(List.of("kafka"), keywords("Kafka \u212Aafka kafka \u212Anow About ABOUT kafka"));
    }

    @Test
    void shouldDeduplicateKeywordsInOrder() {
        assertEquals(List.of("cache", "eviction"), keywords("Cache eviction, cache EVICTION, cache"));
    }

    @Test
    void shouldCapKeywordsAtMaxTerms() {
        final StringBuilder query = new StringBuilder();
        for (int i = 0; i < QueryTerms.MAX_TERMS + 20; i++) {
            query.append("word")
                    .append((char) ('a' + i % 26))
                    .append((char) ('a' + i / 26))
                    .append(' ');
        }
        assertEquals(QueryTerms.MAX_TERMS, keywords(query.toString()).size());
    }

    @Test
    void shouldReturnEmptyTermsWhenQueryIsEmpty() {
        final QueryTerms terms = QueryTerms.of("");
        assertEquals(List.of(), terms.concepts());
        assertEquals(List.of(), terms.keywords());
    }

    @Test
    void shouldReturnUnmodifiableLists() {
        final QueryTerms terms = QueryTerms.of("Kubernetes cluster");
        assertThrows(UnsupportedOperationException.class, () -> terms.concepts().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> terms.keywords().add("x"));
    }

    @Test
    void shouldParseEachQueryIntoReusedTermsAsIntoNewOnes() {
        final StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            huge.append("Name")
                    .append((char) ('A' + i % 26))
                    .append((char) ('a' + i / 26))
                    .append(" Word ");
        }
        final List<String> queries = List.of(
                "What do you know about Apache Kafka and Stream Processing?",
                huge.toString(),
                "Tell me about Zorvex Quillan",
                "",
                "is DataLoader or HashMapEntry slow? set max_concepts, see \"quoted name\" and π×φ",
                "Straße und Ærøskøbing: where is Zoë Ørsted now? KELVIN \u212a and ΣΊΣΥΦΟΣ",
                "```Fenced Code Block``` then Machine Learning and `Inline Code` Machine Learning",
                "kafka streams latency",
                "lorem " + "abcdefghij".repeat(30) + " ipsum",
                "lorem ipsum dolor");
        final QueryTerms reused = new QueryTerms();
        for (int round = 0; round < 2; round++) {
            for (final String query : queries) {
                final QueryTerms fresh = QueryTerms.of(query);
                assertEquals(fresh.concepts(), reused.parse(query).concepts(), query);
                assertEquals(fresh.keywords(), reused.keywords(), query);
                final List<String> read = new ArrayList<>();
                for (int k = 0; k < reused.keywordCount(); k++) {
                    read.add(reused.keyword(k).toString());
                }
                assertEquals(fresh.keywords(), read, query);
                final List<String> names = new ArrayList<>();
                for (int k = 0; k < reused.conceptCount(); k++) {
                    names.add(reused.concept(k).toString());
                }
                assertEquals(fresh.concepts(), names, query);
            }
        }
        assertThrows(
                UnsupportedOperationException.class, () -> reused.concepts().add("x"));
    }

    @Test
    void shouldRejectNullQuery() {
        assertThrows(NullPointerException.class, () -> QueryTerms.of(null));
    }
}
