package ai.continuum.server.transfer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Opening export files: gzip detected on read from the content, gzip on write with the one {@code .gz} suffix. */
public final class Documents {
    private static final int BUFFER = 1 << 16;

    private Documents() {}

    /**
     * The file an export writes: {@code requested}, plus {@code .gz} when compressing and the name does not already
     * end so (a {@code backup.json.gz --compress} stays {@code backup.json.gz}).
     */
    public static Path exportTarget(final Path requested, final boolean compress) {
        final String name = requested.getFileName().toString();
        return compress && !name.endsWith(".gz") ? requested.resolveSibling(name + ".gz") : requested;
    }

    /** A buffered stream over {@code out}, gzip-compressed when asked; closing it finishes the gzip trailer. */
    public static OutputStream wrapOutput(final OutputStream out, final boolean compress) throws IOException {
        final OutputStream buffered = new BufferedOutputStream(out, BUFFER);
        return compress ? new GZIPOutputStream(buffered, BUFFER) : buffered;
    }

    /** Opens an export document, decompressing it if its first bytes are gzip's magic number. */
    static CountingInput openInput(final Path file) throws IOException {
        final long size = Files.size(file);
        final CountingInput counted = new CountingInput(Files.newInputStream(file), size);
        final BufferedInputStream buffered = new BufferedInputStream(counted, BUFFER);
        buffered.mark(2);
        final int b0 = buffered.read();
        final int b1 = buffered.read();
        buffered.reset();
        final boolean gzip = b0 == 0x1f && b1 == 0x8b;
        // Strict: trailing bytes after the gzip stream are refused, not ignored (see StrictGzipInput).
        counted.content = gzip ? new StrictGzipInput(buffered, BUFFER) : buffered;
        return counted;
    }

    /** The document's content, counting the file bytes consumed so far (for progress). */
    static final class CountingInput extends FilterInputStream {
        private final long size;
        private long consumed;
        private InputStream content;
        private boolean closed;

        private CountingInput(final InputStream file, final long size) {
            super(file);
            this.size = size;
        }

        long size() {
            return size;
        }

        long consumed() {
            return consumed;
        }

        /** Reads the raw file (called by the buffering and gzip layers above). */
        @Override
        public int read() throws IOException {
            final int b = super.read();
            if (b >= 0) {
                consumed++;
            }
            return b;
        }

        @Override
        public int read(final byte[] b, final int off, final int len) throws IOException {
            final int n = super.read(b, off, len);
            if (n > 0) {
                consumed += n;
            }
            return n;
        }

        /** The decoded document, for the parser. */
        InputStream content() {
            return content;
        }

        /** Closes the layers above and the file; they close this again, which must then do nothing. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (content != null) {
                    content.close();
                }
            } finally {
                super.close();
            }
        }
    }
}
