package ai.continuum.server.snapshot;

import ai.continuum.engine.ImageLoadTimes;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.store.ImageInput;
import ai.continuum.engine.store.ImageOutput;
import ai.continuum.server.storage.StorageLoading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The snapshot file: a header that says what it is and where it was taken, the engine image, and a checksum.
 *
 * <pre>
 *  long  MAGIC                 "CNTMSNAP"
 *  int   FORMAT                this file layout
 *  long  engine image identity MemoryEngine.imageIdentity(): engine image format, off-heap layouts, byte order
 *  utf8  store identity        Storage.identity(): the database and its schema version
 *  long  taken at              epoch ms
 *  int   tenants, then per tenant: utf8 name, long seq, utf8 chain hash at seq (hex)
 *  ...   engine image          MemoryEngine.writeImage
 *  ...   vector section        VectorSection (absent in files written before it: they end with the image)
 *  long  CRC-32C               of every byte before it
 * </pre>
 *
 * Values are in the platform's byte order (the engine image's own); a file from a machine of the other order fails
 * the magic check. {@link #readHeader} reads only the header, cheap enough to refuse a foreign or outdated file before
 * its checksum is computed; {@link #verify} checks the checksum over the whole file; {@link #loadInto} then loads the
 * engine.
 */
final class SnapshotFile {
    static final long MAGIC = 0x50414e534d544e43L; // "CNTMSNAP" read as a little-endian long
    /** 2: the engine image holds the dictionary as Chronicle Map's own file (engine image format 2). */
    static final int FORMAT = 2;

    private static final int MAX_TEXT_BYTES = 1 << 16;
    private static final int TRAILER_BYTES = 8;

    /** A tenant's chain position in the snapshot: its first {@code seq} ops, the last one hashing to {@code hashHex}. */
    record Position(String tenant, long seq, String hashHex) {}

    /** What the header says. */
    record Header(long engineIdentity, String storeIdentity, long takenAtMillis, List<Position> positions) {}

    private SnapshotFile() {}

    /**
     * Writes the header, the engine's image, the vector section ({@code vectors}' stored vectors; none when null, as
     * files were written before the section existed) and the checksum to {@code channel} (positioned at 0).
     */
    static long write(
            final FileChannel channel,
            final String storeIdentity,
            final List<Position> positions,
            final long takenAtMillis,
            final MemoryEngine engine,
            final StorageLoading vectors,
            final Runnable stateCaptured) {
        final ImageOutput out = new ImageOutput(channel);
        out.writeLong(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(MemoryEngine.imageIdentity());
        out.writeUtf8(storeIdentity);
        out.writeLong(takenAtMillis);
        out.writeInt(positions.size());
        for (final Position p : positions) {
            out.writeUtf8(p.tenant());
            out.writeLong(p.seq());
            out.writeUtf8(p.hashHex());
        }
        engine.writeImage(out, stateCaptured);
        if (vectors != null) {
            VectorSection.write(out, vectors);
        }
        final long crc = out.checksum();
        out.writeLong(crc);
        out.flush();
        return out.written();
    }

    /**
     * Reads the header from the start of {@code channel}, leaving it positioned at the engine image.
     *
     * @throws SnapshotRejectedException when the file is not a snapshot of this format.
     */
    static Header readHeader(final FileChannel channel) throws IOException {
        channel.position(0);
        if (channel.size() < 8 + 4 + 8 + TRAILER_BYTES) {
            throw new SnapshotRejectedException("corrupt: " + channel.size() + " bytes is too short for a snapshot");
        }
        final ImageInput in = new ImageInput(channel);
        try {
            if (in.readLong() != MAGIC) {
                throw new SnapshotRejectedException("corrupt: not a Continuum snapshot (wrong magic number)");
            }
            final int format = in.readInt();
            if (format != FORMAT) {
                throw new SnapshotRejectedException(
                        "outdated: snapshot file format " + format + ", this version reads " + FORMAT);
            }
            final long engineIdentity = in.readLong();
            final String store = in.readUtf8(MAX_TEXT_BYTES);
            final long takenAt = in.readLong();
            final int count = in.readCount(10_000_000, "tenants");
            final List<Position> positions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                positions.add(new Position(in.readUtf8(MAX_TEXT_BYTES), in.readLong(), in.readUtf8(MAX_TEXT_BYTES)));
            }
            channel.position(in.consumed()); // the engine image starts here; `in` may have read past it
            return new Header(engineIdentity, store, takenAt, positions);
        } catch (final IllegalStateException | UncheckedIOException e) {
            throw new SnapshotRejectedException("corrupt: the header does not parse (" + e.getMessage() + ")");
        }
    }

    /**
     * Checks the CRC-32C over the whole file.
     *
     * @throws SnapshotRejectedException when it does not match.
     */
    static void verify(final FileChannel channel) throws IOException {
        final long body = channel.size() - TRAILER_BYTES;
        final CRC32C crc = new CRC32C();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long at = 0;
        while (at < body) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), body - at));
            final int n = channel.read(buffer, at);
            if (n < 0) {
                throw new SnapshotRejectedException("corrupt: the file ends early");
            }
            buffer.flip();
            crc.update(buffer);
            at += n;
        }
        final ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.nativeOrder());
        while (trailer.hasRemaining()) {
            if (channel.read(trailer, body + trailer.position()) < 0) {
                throw new SnapshotRejectedException("corrupt: the file ends early");
            }
        }
        final long stored = trailer.getLong(0);
        if (stored != crc.getValue()) {
            throw new SnapshotRejectedException("corrupt: checksum " + Long.toHexString(crc.getValue())
                    + " where the file records " + Long.toHexString(stored));
        }
    }

    /** What {@link #loadInto} did: where the engine image's read spent its time, and the vectors the index took. */
    record Loaded(ImageLoadTimes image, long vectors) {}

    /**
     * Loads the engine image that follows the header (the channel positioned by {@link #readHeader}), then the vector
     * section when there is one.
     */
    static Loaded loadInto(final FileChannel channel, final MemoryEngine engine) throws IOException {
        final long imageStart = channel.position();
        final ImageInput in = new ImageInput(channel);
        final ImageLoadTimes image = engine.readImage(in);
        return new Loaded(
                image, VectorSection.read(in, channel.size() - TRAILER_BYTES - (imageStart + in.consumed()), engine));
    }

    static FileChannel openForReading(final Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }
}
