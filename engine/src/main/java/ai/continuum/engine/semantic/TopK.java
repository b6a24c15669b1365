package ai.continuum.engine.semantic;

/** The running list of the best {@code k} (memory index, similarity) pairs of a search, highest similarity first. */
final class TopK {
    private TopK() {}

    /**
     * Offers one pair to the list {@code outIndex/outSimilarity[0..size)} of at most {@code k} entries, kept sorted by
     * similarity, highest first (a tie goes after the entries already there); returns the list's new size.
     */
    static int offer(
            final int size,
            final int k,
            final int index,
            final float similarity,
            final int[] outIndex,
            final float[] outSimilarity) {
        if (size == k && similarity <= outSimilarity[size - 1]) {
            return size;
        }
        final int grown = size == k ? size : size + 1;
        int j = grown - 1;
        while (j > 0 && similarity > outSimilarity[j - 1]) {
            outIndex[j] = outIndex[j - 1];
            outSimilarity[j] = outSimilarity[j - 1];
            j--;
        }
        outIndex[j] = index;
        outSimilarity[j] = similarity;
        return grown;
    }
}
