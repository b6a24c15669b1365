package ai.continuum.engine.semantic;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The integer dot product of two quantised vectors (one signed byte per dimension), the inner loop of the semantic
 * index's scan and of the diversification of its results. Exact: the vectorised and the scalar form return the same
 * int for the same input.
 *
 * <p>The scalar loop is not vectorised by the JIT (byte products summed into an int): a scan of 100,000 vectors of
 * 384 dimensions took 45-110 ms on this hardware. With the JDK Vector API (widen bytes to shorts, multiply, widen
 * the products to ints and add) the same scan takes a few milliseconds (RESULTS.md, "Semantic index, round three").
 * The API is an incubator module: the JVM must be started with {@code --add-modules=jdk.incubator.vector} (the
 * project's JVM flags, {@code continuum.jvm.flags} in the parent pom, do); without it this class falls back to the
 * scalar loop, with the same results.
 *
 * <p>Overflow: a product of two bytes is at most 128 x 128 = 16,384 in magnitude, so it fits a short; a sum of
 * 4,096 of them (the most dimensions {@link VectorTable} allows) fits an int.
 */
final class QuantisedDot {
    /** Whether the Vector API is usable in this JVM (its incubator module was added at start-up). */
    static final boolean VECTORISED = vectorApiPresent();

    private QuantisedDot() {}

    /** Sum over d below {@code dimensions} of {@code a[d] * b[d]}. */
    static int dot(final byte[] a, final byte[] b, final int dimensions) {
        return VECTORISED ? Simd.dot(a, b, dimensions) : scalar(a, b, dimensions, 0, 0);
    }

    /** The same sum by the plain loop, over dimensions {@code from} to {@code dimensions}, added to {@code sum}. */
    static int scalar(final byte[] a, final byte[] b, final int dimensions, final int from, final int sum) {
        int total = sum;
        for (int d = from; d < dimensions; d++) {
            total += a[d] * b[d];
        }
        return total;
    }

    private static boolean vectorApiPresent() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return Simd.SHORTS.length() >= 2; // loads the Vector API's classes: a failure shows here, not in a scan
        } catch (final LinkageError e) {
            return false;
        }
    }

    /** The Vector API form; its classes load only once {@link #VECTORISED} found the module. */
    static final class Simd {
        /** The widest shorts this CPU holds in one register; the bytes they widen from take half its width. */
        static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;

        private static final VectorSpecies<Byte> BYTES =
                VectorSpecies.of(byte.class, VectorShape.forBitSize(SHORTS.vectorBitSize() / 2));
        private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

        private Simd() {}

        static int dot(final byte[] a, final byte[] b, final int dimensions) {
            final int lanes = SHORTS.length();
            final int bound = dimensions - dimensions % lanes;
            IntVector sum = IntVector.zero(INTS);
            for (int d = 0; d < bound; d += lanes) {
                final ShortVector x =
                        (ShortVector) ByteVector.fromArray(BYTES, a, d).convertShape(VectorOperators.B2S, SHORTS, 0);
                final ShortVector y =
                        (ShortVector) ByteVector.fromArray(BYTES, b, d).convertShape(VectorOperators.B2S, SHORTS, 0);
                final ShortVector products = x.mul(y);
                sum = sum.add(products.convertShape(VectorOperators.S2I, INTS, 0))
                        .add(products.convertShape(VectorOperators.S2I, INTS, 1));
            }
            return scalar(a, b, dimensions, bound, sum.reduceLanes(VectorOperators.ADD));
        }
    }
}
