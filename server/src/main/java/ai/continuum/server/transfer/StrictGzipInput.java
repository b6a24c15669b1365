package ai.continuum.server.transfer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Gzip (RFC 1952) decoding that refuses anything after the last member. {@link java.util.zip.GZIPInputStream} reads
 * concatenated members but silently stops at bytes that do not start another member, so a document with trailing
 * garbage would import as if the garbage were not there. Here, after each member's trailer (CRC-32 and size
 * checked), the input must end or start another member; anything else is a {@link ZipException}.
 *
 * <p>Not thread-safe; one reader.
 */
final class StrictGzipInput extends InputStream {
    private static final int FTEXT = 1;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final PushbackInputStream in;
    private final byte[] buffer;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberBytes;
    /** Bytes of {@link #buffer} last handed to the inflater (always from index 0). */
    private int lastInput;

    private long compressedOffset;
    private boolean eof;

    StrictGzipInput(final InputStream raw, final int bufferSize) throws IOException {
        this.buffer = new byte[bufferSize];
        this.in = new PushbackInputStream(raw, bufferSize);
        readHeader(true);
    }

    @Override
    public int read() throws IOException {
        final byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(final byte[] b, final int off, final int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!eof) {
            try {
                final int n = inflater.inflate(b, off, len);
                if (n > 0) {
                    crc.update(b, off, n);
                    memberBytes += n;
                    return n;
                }
            } catch (final DataFormatException e) {
                throw new ZipException(
                        "corrupt gzip data near compressed byte " + compressedOffset + ": " + e.getMessage());
            }
            if (inflater.finished()) {
                endMember();
            } else if (inflater.needsInput()) {
                final int n = in.read(buffer);
                if (n < 0) {
                    throw new EOFException("the gzip stream ends inside a member (truncated)");
                }
                compressedOffset += n;
                lastInput = n;
                inflater.setInput(buffer, 0, n);
            } else if (inflater.needsDictionary()) {
                throw new ZipException("gzip member needs a preset dictionary, which gzip does not use");
            }
        }
        return -1;
    }

    /** Checks the member's trailer; then the input must end, or another member start. */
    private void endMember() throws IOException {
        // The inflater stops at the member's end; what it did not consume (trailer, next member) goes back.
        final int unread = inflater.getRemaining();
        if (unread > 0) {
            in.unread(buffer, lastInput - unread, unread);
            compressedOffset -= unread;
        }
        final long expectedCrc = readIntLe();
        final long expectedSize = readIntLe();
        if (expectedCrc != crc.getValue() || expectedSize != (memberBytes & 0xffffffffL)) {
            throw new ZipException("gzip trailer does not match the data (corrupt member)");
        }
        inflater.reset();
        crc.reset();
        memberBytes = 0;
        readHeader(false);
    }

    private void readHeader(final boolean first) throws IOException {
        final int b0 = in.read();
        if (b0 < 0 && !first) {
            eof = true;
            return;
        }
        final int b1 = in.read();
        if (b0 != 0x1f || b1 != 0x8b) {
            throw new ZipException(
                    first
                            ? "not gzip"
                            : "unexpected data after the end of the gzip stream "
                                    + "(trailing garbage at compressed byte " + compressedOffset + ")");
        }
        if (readByte() != 8) {
            throw new ZipException("unsupported gzip compression method");
        }
        final int flags = readByte();
        skip(6);
        if ((flags & FEXTRA) != 0) {
            skip(readByte() | readByte() << 8);
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FHCRC) != 0) {
            skip(2);
        }
        if ((flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) != 0) {
            throw new ZipException("reserved gzip header flags set");
        }
    }

    private int readByte() throws IOException {
        final int b = in.read();
        if (b < 0) {
            throw new EOFException("the gzip stream ends inside a header or trailer (truncated)");
        }
        compressedOffset++;
        return b;
    }

    private long readIntLe() throws IOException {
        return readByte() | (long) readByte() << 8 | (long) readByte() << 16 | (long) readByte() << 24;
    }

    private void skip(final int n) throws IOException {
        for (int i = 0; i < n; i++) {
            readByte();
        }
    }

    private void skipZeroTerminated() throws IOException {
        while (readByte() != 0) {
            // a file name or comment, not needed
        }
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
