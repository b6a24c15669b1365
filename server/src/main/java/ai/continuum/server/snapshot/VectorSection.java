package ai.continuum.server.snapshot;

import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.store.ImageInput;
import ai.continuum.engine.store.ImageOutput;
import ai.continuum.server.storage.StorageLoading;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The snapshot's section of sentence vectors (the semantic index's, from {@code memory_vectors}), after the engine
 * image: a joining instance with the semantic index on takes them instead of running the model on every memory.
 *
 * <pre>
 *  int   SECTION              "VECS"
 *  int   VERSION              this section's layout
 *  runs, each of one tenant and model:
 *    utf8  tenant             "" ends the section
 *    utf8  model              the embedder's name
 *    int   dimensions
 *    int   n                  1..RUN
 *    long  memory id  x n
 *    int   scale bits x n     Float.floatToIntBits
 *    bytes n x dimensions     the quantised dimensions, vector after vector
 * </pre>
 *
 * A snapshot written before this section existed ends with the engine image: it restores, and the memories are then
 * looked up in storage or embedded ({@link MemoryEngine#embedMissing}). A vector of another model, or of a memory the
 * image does not hold, is skipped.
 */
final class VectorSection {
    static final int SECTION = 0x53434556; // "VECS" read as a little-endian int
    static final int VERSION = 1;
    /** Vectors per run at most: the run's bytes are staged in one buffer (1,024 x 384 = 384 KB). */
    static final int RUN = 1024;

    private static final int MAX_DIMENSIONS = 4096;
    private static final int MAX_TEXT_BYTES = 1 << 16;

    private VectorSection() {}

    /** Writes every vector {@code storage} holds as the section. */
    static void write(final ImageOutput out, final StorageLoading storage) {
        out.writeInt(SECTION);
        out.writeInt(VERSION);
        final Run run = new Run(out);
        storage.readVectors(run::add);
        run.flush();
        out.writeUtf8("");
    }

    /**
     * Reads the section, if the file has one ({@code remaining}: bytes between the engine image and the checksum),
     * into {@code engine}'s semantic index; skips over it when the engine has none. Returns the vectors taken.
     */
    static long read(final ImageInput in, final long remaining, final MemoryEngine engine) {
        if (remaining <= 0) {
            return 0; // written before the section existed
        }
        if (in.readInt() != SECTION) {
            throw new IllegalStateException("snapshot: unknown section after the engine image");
        }
        final int version = in.readInt();
        if (version != VERSION) {
            throw new IllegalStateException(
                    "snapshot: vector section version " + version + ", this build reads " + VERSION);
        }
        final String model = engine.semanticModel();
        long taken = 0;
        for (String tenant = in.readUtf8(MAX_TEXT_BYTES); !tenant.isEmpty(); tenant = in.readUtf8(MAX_TEXT_BYTES)) {
            final String runModel = in.readUtf8(MAX_TEXT_BYTES);
            final int dims = in.readCount(MAX_DIMENSIONS, "vector dimensions");
            final int n = in.readCount(RUN, "vectors in a run");
            final long[] ids = new long[n];
            final float[] scales = new float[n];
            for (int i = 0; i < n; i++) {
                ids[i] = in.readLong();
            }
            for (int i = 0; i < n; i++) {
                scales[i] = Float.intBitsToFloat(in.readInt());
            }
            final UnsafeBuffer bytes = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(1, n * dims)));
            in.readRegion(bytes, 0, n * dims);
            if (!runModel.equals(model)) {
                continue; // another model's vectors, or no semantic index here
            }
            final byte[] vector = new byte[dims];
            for (int i = 0; i < n; i++) {
                bytes.getBytes(i * dims, vector);
                if (engine.presetVector(tenant, ids[i], vector, scales[i])) {
                    taken++;
                }
            }
        }
        return taken;
    }

    /** Collects rows of one tenant and model, and writes them as a run when full or when the key changes. */
    private static final class Run {
        private final ImageOutput out;
        private final long[] ids = new long[RUN];
        private final float[] scales = new float[RUN];
        private UnsafeBuffer bytes = new UnsafeBuffer(ByteBuffer.allocateDirect(RUN * 384));
        private String tenant;
        private String model;
        private int dims;
        private int n;

        Run(final ImageOutput out) {
            this.out = out;
        }

        void add(
                final String rowTenant, final long memoryId, final String rowModel, final float scale, final byte[] v) {
            if (n == RUN
                    || (n > 0
                            && (!Objects.equals(tenant, rowTenant)
                                    || !Objects.equals(model, rowModel)
                                    || dims != v.length))) {
                flush();
            }
            if (v.length == 0 || v.length > MAX_DIMENSIONS || rowTenant.isEmpty()) {
                return; // not a vector this section can carry; that memory is looked up or embedded on restore
            }
            if (n == 0) {
                tenant = rowTenant;
                model = rowModel;
                dims = v.length;
                if (bytes.capacity() < RUN * dims) {
                    bytes = new UnsafeBuffer(ByteBuffer.allocateDirect(RUN * dims));
                }
            }
            ids[n] = memoryId;
            scales[n] = scale;
            bytes.putBytes(n * dims, v);
            n++;
        }

        void flush() {
            if (n == 0) {
                return;
            }
            out.writeUtf8(tenant);
            out.writeUtf8(model);
            out.writeInt(dims);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeLong(ids[i]);
            }
            for (int i = 0; i < n; i++) {
                out.writeInt(Float.floatToIntBits(scales[i]));
            }
            out.writeRegion(bytes, 0, n * dims);
            n = 0;
        }
    }
}
