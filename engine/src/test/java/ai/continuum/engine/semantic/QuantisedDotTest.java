package ai.continuum.engine.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The semantic index's dot product is exact: the Vector API form, the scalar fallback and the byte loop the vector
 * table ran before give the same int, for every length (whole registers and a remainder) and at the extremes of a
 * byte; and the table's scores equal what that loop gave, scaled as before.
 */
class QuantisedDotTest {
    private static final int[] DIMENSIONS = {1, 7, 31, 32, 33, 64, 100, 383, 384, 385, 1000, 4096};

    /** The loop VectorTable ran before the Vector API. */
    private static int byteLoop(final byte[] query, final byte[] stored) {
        int sum = 0;
        for (int d = 0; d < query.length; d++) {
            sum += query[d] * stored[d];
        }
        return sum;
    }

    @Test
    void theProjectsJvmFlagsMakeTheVectorApiAvailable() {
        // Surefire runs with continuum.jvm.flags, as the server does: losing the flag would silently cost 20x.
        assertTrue(QuantisedDot.VECTORISED, "jdk.incubator.vector is not in the boot layer");
    }

    @Test
    void everyFormGivesTheByteLoopsSumForEveryLength() {
        final Random random = new Random(11);
        for (final int dims : DIMENSIONS) {
            for (int round = 0; round < 30; round++) {
                final byte[] a = bytes(random, dims, round);
                final byte[] b = bytes(random, dims, round / 3);
                final String at = dims + " dimensions, round " + round;
                final int expected = byteLoop(a, b);
                assertEquals(expected, QuantisedDot.dot(a, b, dims), at);
                assertEquals(expected, QuantisedDot.scalar(a, b, dims, 0, 0), "scalar, " + at);
                assertEquals(expected, QuantisedDot.Simd.dot(a, b, dims), "vectorised, " + at);
            }
        }
    }

    @Test
    void theTablesScoresEqualTheByteLoopsScaledAsBefore() {
        final Random random = new Random(5);
        final int dims = 384;
        final VectorTable table = new VectorTable(dims);
        final byte[][] stored = new byte[40][];
        final float[] scales = new float[stored.length];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = bytes(random, dims, i);
            scales[i] = 0.001f + random.nextFloat() / 100;
            table.putQuantised(i * 613, stored[i], scales[i]); // spread over several chunks
        }
        final byte[] query = bytes(random, dims, 1);
        final float queryScale = 0.0042f;
        final byte[] scratch = new byte[dims];
        for (int i = 0; i < stored.length; i++) {
            assertEquals(
                    byteLoop(query, stored[i]) * scales[i] * queryScale,
                    table.dot(query, queryScale, i * 613, scratch),
                    "vector " + i);
        }
    }

    /** Random bytes; every third round only the extremes (-128, 127), where products are largest. */
    private static byte[] bytes(final Random random, final int dims, final int round) {
        final byte[] out = new byte[dims];
        random.nextBytes(out);
        if (round % 3 == 0) {
            for (int d = 0; d < dims; d++) {
                out[d] = out[d] < 0 ? Byte.MIN_VALUE : Byte.MAX_VALUE;
            }
        }
        return out;
    }
}
