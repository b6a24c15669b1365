package ai.continuum.engine.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Quantised vectors keep cosines, across chunk boundaries, and an absent vector reads as none. */
class VectorTableTest {

    @Test
    void quantisedDotProductsStayWithinOnePercentOfTheExactCosine() {
        final Random random = new Random(7);
        final int dims = 384;
        final VectorTable table = new VectorTable(dims);
        final float[][] stored = new float[50][];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = unit(random, dims);
            table.put(i * 997, stored[i]); // spread over several chunks
        }
        final float[] query = unit(random, dims);
        final byte[] q = new byte[dims];
        final float scale = VectorTable.quantise(query, q);
        final byte[] scratch = new byte[dims];
        for (int i = 0; i < stored.length; i++) {
            double exact = 0;
            for (int d = 0; d < dims; d++) {
                exact += query[d] * stored[i][d];
            }
            assertEquals(exact, table.dot(q, scale, i * 997, scratch), 0.01, "vector " + i);
        }
        final byte[] self = new byte[dims];
        final float selfScale = VectorTable.quantise(stored[3], self);
        assertEquals(1.0, table.dot(self, selfScale, 3 * 997, scratch), 0.01, "a vector against itself");
        assertEquals(0f, table.dot(q, scale, 1, scratch), "never written: no vector");
        assertEquals(0f, table.read(10_000_000, scratch), "beyond every chunk: no vector");
        assertTrue(table.reservedBytes() >= 12L * VectorTable.CHUNK_RECORDS * table.recordBytes());
        assertEquals(392, table.recordBytes(), "384 bytes and a 4-byte scale, padded to 8");
    }

    private static float[] unit(final Random random, final int dims) {
        final float[] v = new float[dims];
        double norm = 0;
        for (int d = 0; d < dims; d++) {
            v[d] = (float) random.nextGaussian();
            norm += v[d] * v[d];
        }
        for (int d = 0; d < dims; d++) {
            v[d] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
