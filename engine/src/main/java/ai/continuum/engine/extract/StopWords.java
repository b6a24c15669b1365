package ai.continuum.engine.extract;

import java.util.Locale;
import java.util.Set;

/**
 * The two stop-word lists, as immutable sets.
 *
 * <ul>
 *   <li>{@link #EXTRACTION}: words that are never concepts on their own (specification 2.2): common sentence openers,
 *       section headers of compacted conversations, and assistant filler. Spelled in Title-Case and compared
 *       case-sensitively, as the specification says.</li>
 *   <li>{@link #QUESTION_OPENERS}: the verbs and pronouns a question opens with ("Should Kafka Streams replace
 *       Flink?"), which extraction strips from the front of a phrase as it strips the extraction stop words. Title-Case,
 *       case-sensitive. Words that are also first names ("Will", "May") are left out.</li>
 *   <li>{@link #QUERY}: function words ignored when a recall query is split into keywords (specification 2.6).
 *       Lower-case; compare after {@code toLowerCase(Locale.ROOT)}.</li>
 * </ul>
 */
public final class StopWords {
    public static final Set<String> EXTRACTION = Set.of(
            // common English
            "The",
            "This",
            "That",
            "These",
            "Those",
            "When",
            "Where",
            "What",
            "How",
            "Why",
            "And",
            "But",
            "For",
            "With",
            "From",
            "Into",
            "Here",
            "There",
            "After",
            "Before",
            "Then",
            "Now",
            "Just",
            // headers of compacted conversation summaries
            "Primary",
            "Request",
            "Intent",
            "Key",
            "Technical",
            "Concepts",
            "Files",
            "Code",
            "Sections",
            "Errors",
            "Fixes",
            "Problem",
            "Solving",
            "Pending",
            "Tasks",
            "Current",
            "Work",
            "Optional",
            "Next",
            "Step",
            "All",
            "User",
            "Messages",
            "Summary",
            "Analysis",
            "Let",
            "None",
            "Session",
            "Context",
            "Memory",
            "Recall",
            "Learn",
            // assistant filler
            "Sure",
            "Okay",
            "Certainly",
            "Absolutely",
            "Looking",
            "Checking");

    public static final Set<String> QUESTION_OPENERS = Set.of(
            "Is", "Are", "Was", "Were", "Am", "Do", "Does", "Did", "Has", "Have", "Had", "Should", "Would", "Could",
            "Shall", "Must", "Which", "Who", "Whom", "Whose");

    public static final Set<String> QUERY = Set.of(
            "the", "a", "an", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does",
            "did", "will", "would", "could", "should", "may", "might", "must", "shall", "can", "need", "dare", "ought",
            "used", "to", "of", "in", "for", "on", "with", "at", "by", "from", "as", "into", "through", "during",
            "before", "after", "above", "below", "between", "under", "again", "further", "then", "once", "here",
            "there", "when", "where", "why", "how", "all", "each", "few", "more", "most", "other", "some", "such", "no",
            "nor", "not", "only", "own", "same", "so", "than", "too", "very", "just", "and", "but", "if", "or",
            "because", "until", "while", "this", "that", "these", "those", "what", "which", "who", "whom", "i", "you",
            "he", "she", "it", "we", "they", "me", "him", "her", "us", "them", "my", "your", "his", "its", "our",
            "their", "about", "get", "got", "going", "want", "let", "like", "think", "know", "see", "make", "take");

    private static final RegionSet EXTRACTION_REGIONS = new RegionSet(EXTRACTION, false);
    private static final RegionSet QUESTION_OPENER_REGIONS = new RegionSet(QUESTION_OPENERS, false);
    private static final RegionSet QUERY_REGIONS = new RegionSet(QUERY, true);

    private StopWords() {}

    /** Whether {@code candidate} is exactly (case-sensitively) an extraction stop word. */
    public static boolean isExtractionStopWord(final String candidate) {
        return EXTRACTION.contains(candidate);
    }

    /** Whether {@code word}, lower-cased with {@link Locale#ROOT}, is a query stop word. */
    public static boolean isQueryStopWord(final String word) {
        return QUERY.contains(word.toLowerCase(Locale.ROOT));
    }

    static boolean isExtractionStopWord(final String s, final int from, final int to) {
        return EXTRACTION_REGIONS.contains(s, from, to);
    }

    /** Whether {@code s[from, to)} is exactly (case-sensitively) a {@link #QUESTION_OPENERS question opener}. */
    static boolean isQuestionOpener(final String s, final int from, final int to) {
        return QUESTION_OPENER_REGIONS.contains(s, from, to);
    }

    /** Query stop word test on a region, folding ASCII letters (every query stop word is ASCII). */
    static boolean isQueryStopWord(final String s, final int from, final int to) {
        return QUERY_REGIONS.contains(s, from, to);
    }
}
