package ai.continuum.engine.store;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The reading end of an engine image ({@link ImageOutput}): small values through a staging buffer, off-heap regions
 * read straight into their buffers. Callers prove the bytes intact (the image's checksum) before reading; the counts
 * read are still bounded, so a damaged image fails with an {@link IllegalStateException} rather than a huge
 * allocation.
 *
 * <p>Not thread-safe.
 */
public final class ImageInput {
    private static final int STAGING_BYTES = 1 << 16;
    private static final int FILE_CHUNK_BYTES = 1 << 20;

    private final ReadableByteChannel channel;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES).order(ByteOrder.nativeOrder());
    /** Bytes taken from the channel so far (some may still be staged). */
    private long pulled;

    public ImageInput(final ReadableByteChannel channel) {
        this.channel = channel;
        staging.limit(0);
    }

    public int readInt() {
        need(4);
        return staging.getInt();
    }

    public long readLong() {
        need(8);
        return staging.getLong();
    }

    /** A count written with {@link ImageOutput#writeInt}, checked to lie in [0, max]. */
    public int readCount(final int max, final String what) {
        final int n = readInt();
        if (n < 0 || n > max) {
            throw new IllegalStateException("engine image: " + what + " " + n + " is outside [0, " + max + "]");
        }
        return n;
    }

    public String readUtf8(final int maxBytes) {
        final byte[] bytes = new byte[readCount(maxBytes, "string length")];
        for (int i = 0; i < bytes.length; i++) {
            need(1);
            bytes[i] = staging.get();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Chars written by {@link ImageOutput#writeChars}, into {@code into} (cleared first). */
    public StringBuilder readChars(final int maxChars, final StringBuilder into) {
        final int n = readCount(maxChars, "text length");
        into.setLength(0);
        for (int i = 0; i < n; i++) {
            need(2);
            into.append(staging.getChar());
        }
        return into;
    }

    /** Bytes consumed by the reads so far: where the next value starts in the stream. */
    public long consumed() {
        return pulled - staging.remaining();
    }

    /** Fills {@code length} bytes of {@code buffer} from {@code offset}. */
    public void readRegion(final UnsafeBuffer buffer, final int offset, final int length) {
        if (length == 0) {
            return;
        }
        // The buffer may view its ByteBuffer from an offset (DirectMemory aligns that way).
        final int at = buffer.wrapAdjustment() + offset;
        final ByteBuffer region = buffer.byteBuffer().duplicate();
        region.clear().position(at).limit(at + length);
        final int staged = Math.min(staging.remaining(), length);
        if (staged > 0) {
            final ByteBuffer part = staging.duplicate();
            part.limit(part.position() + staged);
            region.put(part);
            staging.position(staging.position() + staged);
        }
        try {
            while (region.hasRemaining()) {
                final int n = channel.read(region);
                if (n < 0) {
                    throw new UncheckedIOException(new EOFException("engine image ends inside a region"));
                }
                pulled += n;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the next {@code length} bytes of the image to {@code target}, from its position 0. */
    public void readFile(final FileChannel target, final long length) {
        try {
            long at = 0;
            final int staged = (int) Math.min(staging.remaining(), length);
            if (staged > 0) {
                final ByteBuffer part = staging.duplicate();
                part.limit(part.position() + staged);
                while (part.hasRemaining()) {
                    at += target.write(part, at);
                }
                staging.position(staging.position() + staged);
            }
            final ByteBuffer chunk = ByteBuffer.allocateDirect(FILE_CHUNK_BYTES);
            try {
                while (at < length) {
                    chunk.clear().limit((int) Math.min(chunk.capacity(), length - at));
                    final int n = channel.read(chunk);
                    if (n < 0) {
                        throw new UncheckedIOException(new EOFException("engine image ends inside an embedded file"));
                    }
                    pulled += n;
                    chunk.flip();
                    while (chunk.hasRemaining()) {
                        at += target.write(chunk, at);
                    }
                }
            } finally {
                BufferUtil.free(chunk); // returned now, not at a collection
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void need(final int bytes) {
        if (staging.remaining() >= bytes) {
            return;
        }
        staging.compact();
        try {
            while (staging.position() < bytes) {
                final int n = channel.read(staging);
                if (n < 0) {
                    throw new UncheckedIOException(new EOFException("engine image ends early"));
                }
                pulled += n;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        staging.flip();
    }
}
