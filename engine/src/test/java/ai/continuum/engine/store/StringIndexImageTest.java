package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dictionary read back from an image (its Chronicle Map file, mapped) holds exactly the entries written, nothing
 * is left unread in the stream for the next part of the image, the restored index keeps working as the writer's index
 * (puts past its sizing, removes), and its map file is gone once it is closed.
 */
class StringIndexImageTest {
    private static final int ENTRIES = 150_000;

    @TempDir
    Path dir;

    @Test
    void shouldHoldTheSameEntriesWhenMappedFromTheImage() throws IOException {
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
        final long tempFilesBefore = dictionaryFilesInTempDir();
        try (StringIndex restored = new StringIndex("test-restored", ENTRIES, 16);
                FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            final ImageInput in = new ImageInput(ch);
            restored.readFrom(in);
            assertEquals(0x5EA1ED, in.readInt(), "the stream ends where the dictionary does");
            assertEquals(ENTRIES, restored.size());
            final StringIndex.Probe probe = new StringIndex.Probe();
            for (int i = 0; i < ENTRIES; i++) {
                assertEquals(i * 7, restored.get(i % 3, key(i), probe), "entry " + i);
                assertEquals(StringIndex.MISSING, restored.get((i + 1) % 3, key(i), probe), "other tenant");
            }
            assertThrows(IllegalStateException.class, () -> restored.readFrom(in), "only into empty");

            // The mapped map grows past the entries it was sized for (a restored pod keeps learning) and forgets.
            for (int i = ENTRIES; i < 3 * ENTRIES; i++) {
                restored.put(5, key(i), i);
            }
            restored.remove(0, key(0));
            assertEquals(3 * ENTRIES - 1, restored.size());
            assertEquals(2 * ENTRIES + 7, restored.get(5, key(2 * ENTRIES + 7), probe));
            assertEquals(StringIndex.MISSING, restored.get(0, key(0), probe));
        }
        assertEquals(tempFilesBefore, dictionaryFilesInTempDir(), "the mapped file is deleted when the index closes");
    }

    @Test
    void shouldRefuseAnImageWhoseEntryCountDisagreesWithItsMapFile() throws IOException {
        final Path image = dir.resolve("dictionary.img");
        final Path forged = dir.resolve("forged.img");
        try (StringIndex original = new StringIndex("test-count", 1024, 16)) {
            for (int i = 0; i < 100; i++) {
                original.put(1, key(i), i);
            }
            try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                final ImageOutput out = new ImageOutput(ch);
                original.writeTo(out);
                out.flush();
            }
        }
        final byte[] bytes = Files.readAllBytes(image);
        bytes[0] = 101; // the entry count (native order: 101 on little-endian, out of range on big-endian)
        Files.write(forged, bytes);
        try (StringIndex restored = new StringIndex("test-forged", 1024, 16);
                FileChannel ch = FileChannel.open(forged, StandardOpenOption.READ)) {
            assertThrows(IllegalStateException.class, () -> restored.readFrom(new ImageInput(ch)));
            assertEquals(0, restored.size(), "the empty index stays in place");
        }
    }

    private static long dictionaryFilesInTempDir() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("test-restored-"))
                    .count();
        }
    }

    /** Distinct keys of varied length: every tenth is 300 chars. */
    private static String key(final int i) {
        return i % 10 == 0 ? "long key " + i + " " + "x".repeat(290) : "concept " + Integer.toString(i, 36);
    }

    @Test
    void shouldDeleteTheMapFileOfAKilledProcessButNotOfALiveOne() throws IOException, InterruptedException {
        final Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));
        final Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        final Process running = new ProcessBuilder("sleep", "60").start();
        final Path ofDead = tempDir.resolve("test-sweep-pid" + finished.pid() + "-1.dictionary");
        final Path ofLive = tempDir.resolve("test-sweep-pid" + running.pid() + "-2.dictionary");
        final Path ofOurPidNotOurs =
                tempDir.resolve("test-sweep-pid" + ProcessHandle.current().pid() + "-3.dictionary");
        final Path otherShape = tempDir.resolve("test-sweep-pidx-4.dictionary");
        try {
            for (final Path file : new Path[] {ofDead, ofLive, ofOurPidNotOurs, otherShape}) {
                Files.writeString(file, "left by an earlier process");
            }
            try (StringIndex index = new StringIndex("test-sweep", 1024, 16);
                    FileChannel ch = FileChannel.open(
                            dir.resolve("sweep.img"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                index.put(1, "kafka", 1);
                index.writeTo(new ImageOutput(ch)); // making its map file sweeps the stale ones
            }
            assertFalse(Files.exists(ofDead), "a dead process's map file is deleted");
            assertFalse(Files.exists(ofOurPidNotOurs), "a file of this pid that this JVM did not make is stale");
            assertTrue(Files.exists(ofLive), "a live process's map file is kept");
            assertTrue(Files.exists(otherShape), "a name of another shape is not ours to delete");
        } finally {
            running.destroy();
            for (final Path file : new Path[] {ofDead, ofLive, ofOurPidNotOurs, otherShape}) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void shouldReadThePidOnlyFromNamesOfItsShape() {
        assertEquals(4242, StringIndex.pidOf("concepts-pid4242-123.dictionary", "concepts-pid"));
        assertEquals(-1, StringIndex.pidOf("concepts-pid-123.dictionary", "concepts-pid"));
        assertEquals(-1, StringIndex.pidOf("concepts-pidx1-123.dictionary", "concepts-pid"));
        assertEquals(-1, StringIndex.pidOf("concepts-pid42", "concepts-pid"));
    }
}
