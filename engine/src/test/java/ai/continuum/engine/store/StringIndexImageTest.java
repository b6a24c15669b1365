package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dictionary read back from an image holds exactly the entries written, whether it is re-filled on one thread or
 * by several at once (in batches, whose keys outgrow the staging array's first size), and nothing is left unread
 * in the stream for the next part of the image.
 */
class StringIndexImageTest {
    private static final int ENTRIES = 150_000;

    @TempDir
    Path dir;

    @Test
    void shouldHoldTheSameEntriesWhenRefilledByOneThreadOrSeveral() throws IOException {
        final Path image = dir.resolve("dictionary.img");
        try (StringIndex original = new StringIndex("test-original", ENTRIES, 16)) {
            for (int i = 0; i < ENTRIES; i++) {
                original.put(i % 3, key(i), i * 7);
            }
            try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                final ImageOutput out = new ImageOutput(ch);
                original.writeTo(out);
                out.writeInt(0x5EA1ED); // what follows the dictionary in an image must still be read in place
                out.flush();
            }
        }
        for (final int threads : new int[] {1, 2, 4}) {
            try (StringIndex restored = new StringIndex("test-restored-" + threads, ENTRIES, 16);
                    FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
                final ImageInput in = new ImageInput(ch);
                restored.readFrom(in, threads);
                assertEquals(
                        0x5EA1ED, in.readInt(), "threads=" + threads + ": the stream ends where the dictionary does");
                assertEquals(ENTRIES, restored.size(), "threads=" + threads);
                final StringIndex.Probe probe = new StringIndex.Probe();
                for (int i = 0; i < ENTRIES; i++) {
                    assertEquals(i * 7, restored.get(i % 3, key(i), probe), "threads=" + threads + ", entry " + i);
                    assertEquals(StringIndex.MISSING, restored.get((i + 1) % 3, key(i), probe), "other tenant");
                }
                assertThrows(IllegalStateException.class, () -> restored.readFrom(in, threads), "only into empty");
            }
        }
    }

    /**
     * Distinct keys of varied length: every tenth is 300 chars, so a batch's keys outgrow the 24 chars per entry the
     * staging array starts with.
     */
    private static String key(final int i) {
        return i % 10 == 0 ? "long key " + i + " " + "x".repeat(290) : "concept " + Integer.toString(i, 36);
    }
}
