package ai.continuum.engine;

import ai.continuum.engine.extract.TermAnalyzer;
import ai.continuum.engine.extract.TermList;
import ai.continuum.engine.store.IndexHashTable;
import ai.continuum.engine.store.WordIndex;

/**
 * The linking step's handling of one term of a source memory ({@code Recaller.shareOverLinkedConcepts}): a term the
 * question does not say, found in 2..{@link Recaller#LINK_MAX_DF} memories, links those of them that already have
 * evidence of their own (a query word, a concept, meaning, a session neighbour's or an earlier link's share) with the
 * source's score over the square root of that number. A rare word alone is no lead: "enormous" or "11th" said in one
 * other turn ties nothing to the question, yet took a third of the source's score (concepts and names still lead to
 * turns without evidence: {@code Recaller.shareOverLinkedConcepts}, {@code Recaller.bridgeOverNames}). Measured on
 * the development set: recall_all@10 0.868 -> 0.871, multi-hop recall_all@20 0.800 -> 0.825, no metric fell on any
 * set. One per {@link RecallScratch}, re-aimed at each source ({@link #from}), so following the best memories' words
 * allocates nothing.
 */
final class LinkedTerms implements TermAnalyzer.TermSink {
    private final RecallScratch s;
    private final WordIndex memoryTerms;
    private TenantState tenant;
    private TermList queryTerms;
    private double source;

    LinkedTerms(final RecallScratch s, final WordIndex memoryTerms) {
        this.s = s;
        this.memoryTerms = memoryTerms;
    }

    WordIndex memoryTerms() {
        return memoryTerms;
    }

    /** Aims this sink at the source memory of score {@code source}; returns it. */
    LinkedTerms from(final TenantState tenant, final TermList queryTerms, final double source) {
        this.tenant = tenant;
        this.queryTerms = queryTerms;
        this.source = source;
        return this;
    }

    @Override
    public void accept(final CharSequence term) {
        if (queryTerms.contains(term)) {
            return;
        }
        final int rec = memoryTerms.find(tenant.id, term, s.termProbe);
        final int df = rec == IndexHashTable.MISSING ? 0 : memoryTerms.size(rec);
        if (df >= 2 && df <= Recaller.LINK_MAX_DF) {
            final int[] postings = s.linkPostings;
            final int n = memoryTerms.read(rec, Recaller.LINK_MAX_DF, postings);
            final double share = source / Math.sqrt(df);
            for (int p = 0; p < n; p++) {
                final int slot = s.memorySlotOf.get(postings[p]);
                if (slot != RecallScratch.MISSING && s.evidence(slot) > 0) {
                    s.link(postings[p], share);
                }
            }
        }
    }
}
