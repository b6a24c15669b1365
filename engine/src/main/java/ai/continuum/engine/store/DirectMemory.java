package ai.continuum.engine.store;

import java.nio.ByteBuffer;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The engine's direct memory: 64-byte aligned blocks (a cache line, so no record straddles two), each of which can be
 * returned at once by {@link #free} instead of when a later full collection finds its buffer dead.
 *
 * <p>An engine that is dropped while the service runs (a checkpoint's, about the size of the serving one) would
 * otherwise keep its whole graph resident until the next full collection, which a small heap may not run for a long
 * time (RESULTS.md, "A real 256 MiB container": 111 MiB held after a checkpoint at 100k/500k). Agrona's
 * {@code BufferUtil.allocateDirectAligned} hands out a slice, which the JDK refuses to free early, so the aligned
 * view here wraps the owning buffer at an offset.
 */
public final class DirectMemory {
    private static final int ALIGNMENT = 64;

    private DirectMemory() {}

    /** A zeroed block of {@code bytes}, 64-byte aligned. */
    public static UnsafeBuffer allocate(final int bytes) {
        final ByteBuffer owner = ByteBuffer.allocateDirect(bytes + ALIGNMENT);
        final int misalignment = (int) (BufferUtil.address(owner) & (ALIGNMENT - 1));
        return new UnsafeBuffer(owner, misalignment == 0 ? 0 : ALIGNMENT - misalignment, bytes);
    }

    /**
     * Returns {@code block} (from {@link #allocate}) to the system now. The caller guarantees that no thread reads or
     * writes it afterwards: an access to freed memory crashes the JVM.
     */
    public static void free(final UnsafeBuffer block) {
        BufferUtil.free(block.byteBuffer());
    }
}
