package ai.continuum.engine.extract;

import java.util.Arrays;

/**
 * Collects consecutive Title-Case words separated only by whitespace ("Machine Learning", "Zoë Ørsted") and emits
 * each run of two or more as a phrase candidate. Leading stop words and question openers are dropped first ("The
 * Machine Learning" and "Should Machine Learning" become "Machine Learning"); a run left with fewer than two words is
 * no phrase (a long single word is a candidate of its own anyway). The emitted spelling has each whitespace gap folded
 * to one space. Created per scan, or kept by a reusable parser and aimed at each text ({@link #start}); confined to one
 * thread.
 */
final class PhraseRun {
    private String text;
    private CandidateBuffer out;
    private final int kind;
    /** Whether query stop words ("Is", "Does") are stripped too, on top of the extraction stop words. */
    private final boolean queryStopWords;

    private int[] starts = new int[8];
    private int[] ends = new int[8];
    private int count;

    PhraseRun(final String text, final CandidateBuffer out, final int kind, final boolean queryStopWords) {
        this(kind, queryStopWords);
        start(text, out);
    }

    /** A run not yet aimed at a text: {@link #start} comes first. */
    PhraseRun(final int kind, final boolean queryStopWords) {
        this.kind = kind;
        this.queryStopWords = queryStopWords;
    }

    /** Aims this run at {@code text}, its phrases going to {@code out}; returns it. */
    PhraseRun start(final String text, final CandidateBuffer out) {
        this.text = text;
        this.out = out;
        count = 0;
        return this;
    }

    /** A Title-Case word at {@code text[start, end)}; it extends the run when only whitespace lies between. */
    void offer(final int start, final int end) {
        if (count > 0 && !Chars.isAllSpace(text, ends[count - 1], start)) {
            flush();
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    /** Ends the current run (a non-Title-Case word, or the end of the text). */
    void flush() {
        if (count >= 2) {
            emit();
        }
        count = 0;
    }

    private void emit() {
        int first = 0;
        while (first < count && isStopWord(starts[first], ends[first])) {
            first++;
        }
        if (count - first < 2) {
            return;
        }
        int foldedChars = count - first - 1;
        boolean singleSpaced = true;
        for (int w = first; w < count; w++) {
            foldedChars += ends[w] - starts[w];
            if (w > first && (starts[w] - ends[w - 1] != 1 || text.charAt(ends[w - 1]) != ' ')) {
                singleSpaced = false;
            }
        }
        // A code point is at most two chars, so this many chars is surely over the limit: skip building it.
        if (foldedChars > 2 * ConceptExtractor.MAX_LENGTH) {
            return;
        }
        if (singleSpaced) {
            // the phrase as it stands in the text: a span, which becomes a string only if it is selected as one
            final int start = starts[first];
            final int end = ends[count - 1];
            if (text.codePointCount(start, end) <= ConceptExtractor.MAX_LENGTH) {
                out.add(start, kind, text, start, end);
            }
            return;
        }
        final StringBuilder joined = new StringBuilder(foldedChars);
        for (int w = first; w < count; w++) {
            if (w > first) {
                joined.append(' ');
            }
            joined.append(text, starts[w], ends[w]);
        }
        final String phrase = joined.toString();
        if (Chars.length(phrase) <= ConceptExtractor.MAX_LENGTH) {
            out.add(starts[first], kind, phrase);
        }
    }

    private boolean isStopWord(final int start, final int end) {
        return StopWords.isExtractionStopWord(text, start, end)
                || StopWords.isQuestionOpener(text, start, end)
                || (queryStopWords && StopWords.isQueryStopWord(text, start, end));
    }
}
