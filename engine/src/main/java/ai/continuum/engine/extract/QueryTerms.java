package ai.continuum.engine.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The lookup terms of a recall query (specification 2.6 step 1): the concept names it may mention and its content
 * keywords. {@link #of} makes a new one per query; recall keeps one per scratch and {@link #parse parses} each query
 * into it, so its lists and buffers are reused. Confined to one thread; {@link #concept} and {@link #keyword} are a
 * builder's characters, refilled by the next {@link #parse}, so a recall's terms make no strings ({@link #concepts}
 * and {@link #keywords} make them for a caller that keeps them).
 *
 * <p>{@link #concepts()} is the union of
 * <ul>
 *   <li>CamelCase of two or more Title-Case segments ("TensorFlow"), snake_case ("max_concepts"), acronyms of two or
 *       more capitals ("API"), the literal "π×φ" or "π*φ";</li>
 *   <li>quoted strings (straight or typographic), trimmed, {@value #MIN_QUOTED_LENGTH}..{@value
 *       ConceptExtractor#MAX_LENGTH} characters, without line breaks; unlike learned quotes they may hold code
 *       (a query for {@code "foo()"} is a fair question);</li>
 *   <li>multi-word Title-Case phrases, with leading extraction <em>or</em> query stop words stripped
 *       ("What Is Machine Learning" gives "Machine Learning");</li>
 *   <li>everything {@link ConceptExtractor} extracts from the query, so a phrase learned with a leading word the
 *       query strips ("Is Machine Learning") is still found by exact match.</li>
 * </ul>
 * These forms are read from the query as written; only the {@link ConceptExtractor} part ignores code spans. The
 * result keeps the first spelling of names equal after {@code toLowerCase(Locale.ROOT)}, in order of first
 * appearance, at most {@value #MAX_TERMS}.
 *
 * <p>{@link #keywords()} are the whole words of four or more letters, a letter of any case followed by lowercase
 * letters ("memory", "Graph", "Straße"), whose lower-case form ({@link Locale#ROOT}) is not a
 * {@link StopWords#QUERY query stop word}; lower-cased, de-duplicated, in order, at most {@value #MAX_TERMS}.
 */
public final class QueryTerms {
    /** Most concepts, and most keywords, taken from one query: a bound on the lookups a huge query can cause. */
    public static final int MAX_TERMS = 100;
    /** Shortest quoted query string; a single character would match nearly every name as a substring. */
    public static final int MIN_QUOTED_LENGTH = 2;
    /** Shortest keyword, in letters. */
    public static final int MIN_KEYWORD_LETTERS = 4;
    /** A keyword's builder grown beyond this many chars (one huge word) is replaced at the next parse. */
    private static final int KEPT_KEYWORD_CHARS = 64;

    private static final char PI = 'π';
    private static final char PHI = 'φ';

    private final CandidateBuffer candidates = new CandidateBuffer(true);
    private final PhraseRun extracted = ConceptExtractor.newPhraseRun();
    private final PhraseRun phrases = new PhraseRun(CandidateBuffer.QUERY_PHRASE, true);
    /**
     * The concept names, each copied from the query into a builder kept from parse to parse; the first
     * {@code conceptCount} are this query's, so a query's names make no strings.
     */
    private final List<StringBuilder> conceptChars = new ArrayList<>();

    private int conceptCount;
    /** Takes each selected name into the next builder; one per instance, so a parse makes no lambda. */
    private final CandidateBuffer.Sink conceptSink = this::takeConcept;
    /**
     * The keywords, lower-cased, each in a builder kept from parse to parse; the first {@code keywordCount} are this
     * query's, so a query's keywords make no strings. Searched linearly: at most MAX_TERMS short words, and no hash
     * entries per recall.
     */
    private final List<StringBuilder> keywordChars = new ArrayList<>();

    private int keywordCount;

    /** No terms yet: {@link #parse} fills them. */
    public QueryTerms() {}

    /** The terms of {@code query}; linear in its length whatever it holds. */
    public static QueryTerms of(final String query) {
        return new QueryTerms().parse(query);
    }

    /** Replaces these terms with those of {@code query}; returns this. Linear in its length whatever it holds. */
    public QueryTerms parse(final String query) {
        Objects.requireNonNull(query, "query");
        candidates.clear();
        conceptCount = 0;
        for (int k = 0; k < keywordCount; k++) {
            if (keywordChars.get(k).capacity() > KEPT_KEYWORD_CHARS) {
                keywordChars.set(k, new StringBuilder()); // a huge word's buffer is not kept
            }
        }
        keywordCount = 0;
        ConceptExtractor.collect(query, candidates, extracted);
        scanWords(query);
        Quotes.scan(query, (from, to) -> offerQuoted(query, from, to, candidates));
        scanPiPhi(query, candidates);
        candidates.selectInto(MAX_TERMS, true, conceptSink);
        candidates.clear(); // the query's substrings go with the call
        return this;
    }

    /** Concept names to look up, display spelling, as new strings (recall reads {@link #concept}); read-only. */
    public List<String> concepts() {
        return strings(conceptChars, conceptCount);
    }

    /** How many concept names the query has. */
    public int conceptCount() {
        return conceptCount;
    }

    /** Concept name {@code k} ({@code < conceptCount()}), display spelling; valid until the next {@link #parse}. */
    public CharSequence concept(final int k) {
        Objects.checkIndex(k, conceptCount);
        return conceptChars.get(k);
    }

    private void takeConcept(final String source, final int start, final int end) {
        if (conceptCount == conceptChars.size()) {
            conceptChars.add(new StringBuilder());
        }
        final StringBuilder name = conceptChars.get(conceptCount++);
        name.setLength(0);
        name.append(source, start, end);
    }

    /** Lower-cased content words, as new strings (for a caller that keeps them; recall reads {@link #keyword}). */
    public List<String> keywords() {
        return strings(keywordChars, keywordCount);
    }

    /** The first {@code count} builders' texts, as a read-only list of new strings. */
    private static List<String> strings(final List<StringBuilder> builders, final int count) {
        final String[] out = new String[count];
        for (int k = 0; k < count; k++) {
            out[k] = builders.get(k).toString();
        }
        return List.of(out);
    }

    public int keywordCount() {
        return keywordCount;
    }

    /** Keyword {@code k} of {@link #keywordCount}, lower-cased; its characters are valid until the next parse. */
    public CharSequence keyword(final int k) {
        Objects.checkIndex(k, keywordCount);
        return keywordChars.get(k);
    }

    @Override
    public String toString() {
        return "QueryTerms[concepts=" + concepts() + ", keywords=" + keywords() + "]";
    }

    /** Adds the word-shaped concept forms to the candidates and the keywords to theirs. */
    private void scanWords(final String s) {
        final CandidateBuffer out = candidates;
        phrases.start(s, out);
        final int n = s.length();
        int i = 0;
        while (i < n) {
            final int cp = s.codePointAt(i);
            if (!Chars.isWordChar(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            final int start = i;
            i = Chars.tokenEnd(s, start);
            if (Tokens.titleLength(s, start, i) != Tokens.NO_MATCH) {
                phrases.offer(start, i);
            } else {
                phrases.flush();
                if (Tokens.isSegmentedCamel(s, start, i)) {
                    offerWord(s, start, i, CandidateBuffer.QUERY_CAMEL, out);
                } else if (Tokens.isSnake(s, start, i)) {
                    offerWord(s, start, i, CandidateBuffer.SNAKE, out);
                } else if (Tokens.isAcronym(s, start, i)) {
                    offerWord(s, start, i, CandidateBuffer.ACRONYM, out);
                }
            }
            if (keywordCount < MAX_TERMS && Tokens.wordLength(s, start, i) >= MIN_KEYWORD_LETTERS) {
                offerKeyword(s, start, i);
            }
        }
        phrases.flush();
    }

    /**
     * Keeps the word {@code s[start, end)} lower-cased unless it is a query stop word or already kept. An ASCII word is
     * checked where it stands and folded into the next keyword's builder, so it makes no string; any other is
     * lower-cased as a string first ({@link String#toLowerCase(Locale)} folds a few characters outside ASCII into
     * ASCII letters).
     */
    private void offerKeyword(final String s, final int start, final int end) {
        if (!isAscii(s, start, end)) {
            final String keyword = s.substring(start, end).toLowerCase(Locale.ROOT);
            if (!StopWords.QUERY.contains(keyword) && !containsKeyword(keyword)) {
                nextKeyword().append(keyword);
            }
            return;
        }
        if (!StopWords.isQueryStopWord(s, start, end) && !containsFolded(s, start, end)) {
            final StringBuilder keyword = nextKeyword();
            for (int i = start; i < end; i++) {
                keyword.append(Chars.asciiLower(s.charAt(i)));
            }
        }
    }

    /** The next keyword's builder, emptied. */
    private StringBuilder nextKeyword() {
        if (keywordCount == keywordChars.size()) {
            keywordChars.add(new StringBuilder());
        }
        final StringBuilder keyword = keywordChars.get(keywordCount++);
        keyword.setLength(0);
        return keyword;
    }

    private static boolean isAscii(final String s, final int start, final int end) {
        for (int i = start; i < end; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private boolean containsKeyword(final String keyword) {
        for (int k = 0; k < keywordCount; k++) {
            if (CharSequence.compare(keywordChars.get(k), keyword) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether a kept (lower-case) keyword equals the ASCII word {@code s[start, end)} with its letters folded. */
    private boolean containsFolded(final String s, final int start, final int end) {
        for (int k = 0; k < keywordCount; k++) {
            final StringBuilder keyword = keywordChars.get(k);
            if (keyword.length() == end - start && sameFolded(keyword, s, start)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameFolded(final CharSequence keyword, final String s, final int start) {
        for (int j = 0; j < keyword.length(); j++) {
            if (keyword.charAt(j) != Chars.asciiLower(s.charAt(start + j))) {
                return false;
            }
        }
        return true;
    }

    private static void offerWord(
            final String s, final int start, final int end, final int kind, final CandidateBuffer out) {
        if (end - start <= ConceptExtractor.MAX_LENGTH || s.codePointCount(start, end) <= ConceptExtractor.MAX_LENGTH) {
            out.add(start, kind, s, start, end);
        }
    }

    private static void offerQuoted(final String s, final int from, final int to, final CandidateBuffer out) {
        if (to - from > 2 * ConceptExtractor.MAX_LENGTH) {
            return;
        }
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                return;
            }
        }
        final String quoted = Chars.trimFolded(s, from, to);
        final int length = Chars.length(quoted);
        if (length >= MIN_QUOTED_LENGTH && length <= ConceptExtractor.MAX_LENGTH) {
            out.add(from, CandidateBuffer.QUERY_QUOTED, quoted);
        }
    }

    private static void scanPiPhi(final String s, final CandidateBuffer out) {
        for (int i = s.indexOf(PI); i >= 0 && i + 2 < s.length(); i = s.indexOf(PI, i + 1)) {
            final char op = s.charAt(i + 1);
            if ((op == '×' || op == '*') && s.charAt(i + 2) == PHI) {
                out.add(i, CandidateBuffer.PI_PHI, s, i, i + 3);
            }
        }
    }
}
