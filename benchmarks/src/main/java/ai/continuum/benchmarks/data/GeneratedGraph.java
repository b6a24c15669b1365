package ai.continuum.benchmarks.data;

/**
 * What a {@link GraphGenerator} emitted: sizes, the degree of every concept and a checksum of the content.
 *
 * @param size     concepts and links emitted.
 * @param memories memories emitted.
 * @param names    the names of the concept ids.
 * @param degrees  links per concept id; owned by this record, do not modify.
 * @param checksum order-dependent hash of every emitted record; equal seeds give equal checksums.
 */
@SuppressWarnings("ArrayRecordComponent") // degrees is read by index in the benchmark loop; never compared
public record GeneratedGraph(GraphSize size, int memories, ConceptNames names, int[] degrees, long checksum) {

    public int maxDegree() {
        int max = 0;
        for (final int d : degrees) {
            max = Math.max(max, d);
        }
        return max;
    }

    public double meanDegree() {
        return 2.0 * size.links() / size.concepts();
    }
}
