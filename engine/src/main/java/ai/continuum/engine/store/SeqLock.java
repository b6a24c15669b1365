package ai.continuum.engine.store;

import java.lang.invoke.VarHandle;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The sequence lock protocol over an int version field in off-heap memory. One writer; readers never block.
 *
 * <p>Writer: {@link #beginWrite} makes the version odd (volatile store, then a store-store fence so the data writes
 * that follow cannot become visible before it), changes the data, {@link #endWrite} makes it even with a release store
 * (so the data writes are visible before it). Reader: {@link #readBegin} waits for an even version (acquire), copies
 * the data, then {@link #readValid} (load-load fence, re-read) confirms the version did not move; otherwise the copy
 * may be torn and the reader retries.
 */
public final class SeqLock {
    private SeqLock() {}

    public static void beginWrite(final UnsafeBuffer buffer, final int versionOffset) {
        buffer.putIntVolatile(versionOffset, buffer.getInt(versionOffset) + 1);
        VarHandle.storeStoreFence();
    }

    public static void endWrite(final UnsafeBuffer buffer, final int versionOffset) {
        buffer.putIntRelease(versionOffset, buffer.getInt(versionOffset) + 1);
    }

    public static int readBegin(final UnsafeBuffer buffer, final int versionOffset) {
        int v = buffer.getIntAcquire(versionOffset);
        while ((v & 1) != 0) {
            Thread.onSpinWait();
            v = buffer.getIntAcquire(versionOffset);
        }
        return v;
    }

    public static boolean readValid(final UnsafeBuffer buffer, final int versionOffset, final int version) {
        VarHandle.loadLoadFence();
        return buffer.getInt(versionOffset) == version;
    }
}
