package ai.continuum.engine.store;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The writing end of an engine image: small values through a staging buffer, off-heap regions straight from their
 * buffers to the channel (no copy through the heap), and a CRC-32C over every byte written, so the reader can prove
 * the whole file intact before it loads any of it. Values are in the platform's byte order, the order the regions are
 * in; the image records that order ({@link EngineImage}).
 *
 * <p>Not thread-safe.
 */
public final class ImageOutput {
    private static final int STAGING_BYTES = 1 << 16;
    /** Large enough that a file of tens of MiB is copied in a few dozen reads and writes. */
    private static final int FILE_CHUNK_BYTES = 1 << 20;

    private final WritableByteChannel channel;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES).order(ByteOrder.nativeOrder());
    private final CRC32C crc = new CRC32C();
    private long written;

    public ImageOutput(final WritableByteChannel channel) {
        this.channel = channel;
    }

    public void writeInt(final int value) {
        room(4);
        staging.putInt(value);
    }

    public void writeLong(final long value) {
        room(8);
        staging.putLong(value);
    }

    /** A string as its UTF-8 length and bytes. */
    public void writeUtf8(final String value) {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length);
        for (final byte b : bytes) {
            room(1);
            staging.put(b);
        }
    }

    /** Chars exactly as they are (a key may hold any char value, unpaired surrogates included): length, then chars. */
    public void writeChars(final CharSequence value) {
        writeInt(value.length());
        for (int i = 0; i < value.length(); i++) {
            room(2);
            staging.putChar(value.charAt(i));
        }
    }

    /** {@code length} bytes of {@code buffer} from {@code offset}, written from the buffer itself. */
    public void writeRegion(final UnsafeBuffer buffer, final int offset, final int length) {
        if (length == 0) {
            return;
        }
        flush();
        // The buffer may view its ByteBuffer from an offset (DirectMemory aligns that way).
        final int at = buffer.wrapAdjustment() + offset;
        final ByteBuffer region = buffer.byteBuffer().duplicate();
        region.clear().position(at).limit(at + length);
        crc.update(region.duplicate());
        drain(region);
    }

    /**
     * The first {@code length} bytes of {@code source} (read from position 0, the channel's own position untouched),
     * copied through one direct buffer and counted in the checksum like every other byte.
     */
    public void writeFile(final FileChannel source, final long length) {
        flush();
        final ByteBuffer chunk = ByteBuffer.allocateDirect(FILE_CHUNK_BYTES);
        try {
            for (long at = 0; at < length; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), length - at));
                final int n = source.read(chunk, at);
                if (n < 0) {
                    throw new UncheckedIOException(new EOFException("the file ends before its " + length + " bytes"));
                }
                chunk.flip();
                crc.update(chunk.duplicate());
                drain(chunk);
                at += n;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            BufferUtil.free(chunk); // a checkpoint writes one per embedded file: returned now, not at a collection
        }
    }

    /** Bytes written so far. */
    public long written() {
        return written + staging.position();
    }

    /** Writes what is staged and returns the CRC-32C of every byte so far (the checksum itself is not counted). */
    public long checksum() {
        flush();
        return crc.getValue();
    }

    /** Writes what is staged. */
    public void flush() {
        if (staging.position() == 0) {
            return;
        }
        staging.flip();
        crc.update(staging.duplicate());
        drain(staging);
        staging.clear();
    }

    private void room(final int bytes) {
        if (staging.remaining() < bytes) {
            flush();
        }
    }

    private void drain(final ByteBuffer source) {
        try {
            while (source.hasRemaining()) {
                written += channel.write(source);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
