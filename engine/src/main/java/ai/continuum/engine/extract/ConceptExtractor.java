package ai.continuum.engine.extract;

import java.util.List;
import java.util.Objects;

/**
 * Finds the concepts a message names (specification 2.2). Immutable and thread-safe; one instance serves every
 * thread.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li><b>Strip code.</b> Fenced blocks (three backticks, an optional info word, a line break, everything up to
 *       the next three backticks) and then inline spans (a backtick, one or more other characters, a backtick) are
 *       removed; nothing inside them is a concept.</li>
 *   <li><b>Candidates.</b>
 *     <ol type="a">
 *       <li>two or more Title-Case words separated only by whitespace ("Machine Learning");</li>
 *       <li>a single Title-Case word of at least {@value #MIN_SINGLE_WORD_LETTERS} letters ("Learning", also inside a
 *           phrase). Shorter capitalised words are mostly sentence openers ("Today", "Please") and are skipped;</li>
 *       <li>the text between double quotes, unless it contains a code indicator or a line break, or is longer
 *           than {@value #MAX_LENGTH} characters. The code indicators are the substrings {@code def },
 *           {@code class }, {@code import }, {@code from }, {@code ()}, <code>{}</code>, {@code []}, three
 *           backticks, {@code return }, {@code self.}, {@code async }, {@code await }, {@code ==}, {@code !=},
 *           {@code +=}, {@code -=}, {@code **}, {@code //}, <code>${</code>, {@code function }, {@code const } and
 *           {@code let };</li>
 *       <li>CamelCase: uppercase, lowercase letters, uppercase, then letters ("TensorFlow", "JavaScript",
 *           "PostgreSQL"; not "iPhone" or "HTML").</li>
 *     </ol></li>
 *   <li><b>Filter.</b> Drop a candidate equal to an {@link StopWords#EXTRACTION extraction stop word}
 *       (case-sensitive, whole candidate) or outside {@value #MIN_LENGTH}..{@value #MAX_LENGTH} characters; remove
 *       exact duplicates.</li>
 * </ol>
 * Every word shape is tested on whole words: "LearningRate" is not the Title-Case word "Learning".
 *
 * <p>Deliberate differences from the original implementation:
 * <ul>
 *   <li><b>Unicode letters.</b> Title-Case means an uppercase or titlecase letter followed by lowercase letters in
 *       any script ("Zoë Ørsted", "Élodie Dupont", "Große Straße"); combining marks belong to their letter.
 *       Scripts without case (Chinese, Arabic, ...) yield concepts only through quotes.</li>
 *   <li><b>A cap per message:</b> at most {@code maxConceptsPerMessage} concepts, the first ones by position in the
 *       text (at one position: phrase, single word, quoted, CamelCase). The original had no cap and no order.</li>
 *   <li><b>Length limits</b> {@value #MIN_LENGTH}..{@value #MAX_LENGTH} characters (code points) apply to every
 *       concept, not only to quoted ones.</li>
 *   <li><b>Leading stop words are stripped from phrases:</b> "The Machine Learning" yields "Machine Learning", and
 *       "The Cat" yields nothing, since a phrase reduced to one word is dropped (a long single word is a candidate
 *       of its own anyway). So are the {@link StopWords#QUESTION_OPENERS words a question opens with}: "Should Kafka
 *       Streams replace Flink?" names Kafka Streams, not "Should Kafka Streams", which no query names (a query drops
 *       "Should" as a stop word) and which linked each question's concepts to one more concept of its own.</li>
 *   <li><b>Code indicators are tested on quoted candidates only.</b> Title-Case and CamelCase candidates consist of
 *       letters and whitespace, so an indicator can only match across a word's tail and a space, which is a false
 *       positive: the original dropped "Scarlet Witch" for "let " and "Subclass Hierarchy" for "class ".</li>
 *   <li><b>Typographic quotes</b> (U+201C, U+201D) count as well as straight ones.</li>
 *   <li><b>Display spelling is tidied:</b> quoted text is trimmed and every whitespace run inside a concept becomes
 *       one space, so "Machine\nLearning" and "Machine  Learning" both read "Machine Learning".</li>
 *   <li><b>Removed code is a boundary</b>, not deleted text: the words around it are neither glued into one word
 *       ("Tensor`x`Flow" is not "TensorFlow") nor joined into a phrase ("Machine `x` Learning" is not "Machine
 *       Learning"); inside a quoted string it reads as a space. A fence's info word may contain {@code + - # .}
 *       ("c++", "objective-c").</li>
 * </ul>
 *
 * <p>Cost is linear in the text length: one pass over the words, one over the quotes, no regular expressions.
 */
public final class ConceptExtractor {
    /** The per-message cap the engine uses unless configured otherwise. */
    public static final int DEFAULT_MAX_CONCEPTS_PER_MESSAGE = 20;
    /** Shortest concept, in code points. */
    public static final int MIN_LENGTH = 3;
    /** Longest concept, in code points; also the longest quoted text considered at all. */
    public static final int MAX_LENGTH = 100;
    /** A single Title-Case word is a candidate from this many letters on. */
    public static final int MIN_SINGLE_WORD_LETTERS = 8;

    private final int maxConceptsPerMessage;

    /** @param maxConceptsPerMessage concepts kept per call, at least 1. */
    public ConceptExtractor(final int maxConceptsPerMessage) {
        if (maxConceptsPerMessage < 1) {
            throw new IllegalArgumentException("maxConceptsPerMessage=" + maxConceptsPerMessage + " must be >= 1");
        }
        this.maxConceptsPerMessage = maxConceptsPerMessage;
    }

    public int maxConceptsPerMessage() {
        return maxConceptsPerMessage;
    }

    /** Display spellings, in order of first appearance, exact duplicates removed, at most maxConceptsPerMessage. */
    public List<String> extract(final String text) {
        Objects.requireNonNull(text, "text");
        final CandidateBuffer candidates = new CandidateBuffer();
        collect(text, candidates);
        return candidates.select(maxConceptsPerMessage, false);
    }

    /** Adds every candidate of {@code text} that passes the filters, uncapped and not yet de-duplicated. */
    static void collect(final String text, final CandidateBuffer out) {
        collect(text, out, newPhraseRun());
    }

    /** {@link #collect(String, CandidateBuffer)} with a run of {@link #newPhraseRun} the caller reuses. */
    static void collect(final String text, final CandidateBuffer out, final PhraseRun phrases) {
        final String prose = CodeSpans.blank(text);
        scanWords(prose, out, phrases.start(prose, out));
        Quotes.scan(prose, (from, to) -> offerQuoted(prose, from, to, out));
    }

    /** The phrase run extraction collects with (extraction stop words only). */
    static PhraseRun newPhraseRun() {
        return new PhraseRun(CandidateBuffer.PHRASE, false);
    }

    private static void scanWords(final String s, final CandidateBuffer out, final PhraseRun phrases) {
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
            if (!Chars.isUpper(cp)) {
                // Every candidate word starts with a capital; most words do not, so they are skipped here.
                phrases.flush();
                continue;
            }
            final int letters = Tokens.titleLength(s, start, i);
            if (letters != Tokens.NO_MATCH) {
                phrases.offer(start, i);
                if (letters >= MIN_SINGLE_WORD_LETTERS && !StopWords.isExtractionStopWord(s, start, i)) {
                    offerWord(s, start, i, CandidateBuffer.SINGLE, out);
                }
            } else {
                phrases.flush();
                if (Tokens.isCamel(s, start, i)) {
                    offerWord(s, start, i, CandidateBuffer.CAMEL, out);
                }
            }
        }
        phrases.flush();
    }

    private static void offerWord(
            final String s, final int start, final int end, final int kind, final CandidateBuffer out) {
        if (end - start <= MAX_LENGTH || s.codePointCount(start, end) <= MAX_LENGTH) {
            out.add(start, kind, s, start, end);
        }
    }

    private static void offerQuoted(final String s, final int from, final int to, final CandidateBuffer out) {
        if (to - from > 2 * MAX_LENGTH || s.codePointCount(from, to) > MAX_LENGTH) {
            return;
        }
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                return;
            }
        }
        if (CodeSpans.containsIndicator(s, from, to)) {
            return;
        }
        final String quoted = Chars.trimFolded(s, from, to);
        if (Chars.length(quoted) >= MIN_LENGTH && !StopWords.isExtractionStopWord(quoted)) {
            out.add(from, CandidateBuffer.QUOTED, quoted);
        }
    }
}
