package ai.continuum.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.values.Values;

/**
 * A string-keyed entry point into the dense ids, per tenant: {@code (tenant, text) -> int}, in a Chronicle Map off the
 * Java heap. Used for concept keys (name -> concept id) and index words (word -> word-list index).
 *
 * <p>Keys are {@code (char) (tenant >>> 16), (char) tenant, text}, so tenants share one map and stay apart.
 *
 * <p>Thread model: Chronicle Map is safe for concurrent use; {@link #put} and {@link #remove} are called by the single
 * writer, {@link #get} by any thread with its own {@link Probe} (which makes the lookup allocation-free).
 */
public final class StringIndex implements AutoCloseable {
    public static final int MISSING = -1;

    static {
        // A memory service sends no telemetry; the JVM flags (parent pom.xml) set it too, this covers embedders.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true"); // no vendor banner in the operator's logs
    }

    /** Max size of a dictionary's map file in an image: far above a billion-entry map, below a damaged length. */
    private static final long MAX_FILE_BYTES = 1L << 40;

    private static final String DICTIONARY_SUFFIX = ".dictionary";
    /** Names of the map files this JVM made (some still mapped, by any engine in it); never swept as stale. */
    private static final Set<String> FILES_OF_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final String name;
    private final long expectedEntries;
    private final double averageKeyChars;
    /**
     * Replaced once, by {@link #readFrom} on an index no reader uses yet; volatile so that the threads that serve
     * afterwards see the mapped one.
     */
    private volatile ChronicleMap<CharSequence, IntValue> map;
    /** The file the map is persisted to after {@link #readFrom}, null before; deleted at {@link #close}. */
    private Path backingFile;
    /** Writer only. */
    private final Probe writerProbe = new Probe();

    /**
     * @param name            for Chronicle's diagnostics.
     * @param expectedEntries sizing target; the map grows to a hundred times this, past which puts fail. Lookups slow
     *                        down as it outgrows the target (measured: 2M keys in a map sized for 65,536 look up about
     *                        a third slower), so the server sizes it at start from what storage holds.
     */
    public StringIndex(final String name, final long expectedEntries, final double averageKeyChars) {
        this.name = name;
        this.expectedEntries = expectedEntries;
        this.averageKeyChars = averageKeyChars;
        this.map = builder(expectedEntries).create();
    }

    /** Reusable per-thread lookup state: a key buffer and a value holder. Not thread-safe; one per thread. */
    public static final class Probe {
        final StringBuilder key = new StringBuilder(64);
        final IntValue value = Values.newHeapInstance(IntValue.class);

        StringBuilder key(final int tenant, final CharSequence text) {
            key.setLength(0);
            key.append((char) (tenant >>> 16)).append((char) tenant).append(text);
            return key;
        }
    }

    public int get(final int tenant, final CharSequence text, final Probe probe) {
        final IntValue found = map.getUsing(probe.key(tenant, text), probe.value);
        return found == null ? MISSING : found.getValue();
    }

    /** Writer. */
    public int get(final int tenant, final CharSequence text) {
        return get(tenant, text, writerProbe);
    }

    /** Writer. */
    public void put(final int tenant, final CharSequence text, final int id) {
        writerProbe.value.setValue(id);
        map.put(writerProbe.key(tenant, text), writerProbe.value);
    }

    /** Writer. Chronicle Map compares keys by their serialized bytes, not by CharSequence.equals. */
    @SuppressWarnings("CollectionUndefinedEquality")
    public void remove(final int tenant, final CharSequence text) {
        map.remove(writerProbe.key(tenant, text));
    }

    /**
     * The index's entries at one moment, copied to the heap (keys in one {@link StringBuilder}, ids in an array): what
     * an image's dictionary is built from once the index may change again.
     */
    public static final class Entries {
        private final StringBuilder keys;
        /** Entry {@code i}'s key ends at {@code ends[i]} in {@link #keys} and starts where entry {@code i - 1}'s ends. */
        private final int[] ends;

        private final int[] ids;

        private Entries(final StringBuilder keys, final int[] ends, final int[] ids) {
            this.keys = keys;
            this.ends = ends;
            this.ids = ids;
        }

        public int size() {
            return ids.length;
        }
    }

    /**
     * Writer: copies every entry to the heap (about the keys' characters plus 8 bytes per entry). No put or remove
     * may run meanwhile.
     *
     * @throws IllegalStateException when the index changed while it was copied.
     */
    public Entries entries() {
        final long count = map.longSize();
        if (count > Integer.MAX_VALUE) {
            throw new IllegalStateException("a dictionary of " + count + " entries does not fit one image");
        }
        final StringBuilder keys = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, count * 24));
        final int[] ends = new int[(int) count];
        final int[] ids = new int[(int) count];
        int i = 0;
        for (final var entry : map.entrySet()) {
            if (i == ids.length) {
                throw new IllegalStateException("the dictionary changed while it was copied");
            }
            keys.append(entry.getKey());
            ends[i] = keys.length();
            ids[i] = entry.getValue().getValue();
            i++;
        }
        if (i != ids.length) {
            throw new IllegalStateException("the dictionary changed while it was copied");
        }
        return new Entries(keys, ends, ids);
    }

    /** Writer: {@link #writeTo(ImageOutput, Entries)} of the entries now; no put or remove may run meanwhile. */
    public void writeTo(final ImageOutput out) {
        writeTo(out, entries());
    }

    /**
     * The entries into an engine image as Chronicle Map's own persisted file, so that {@link #readFrom} maps it instead
     * of putting every entry again (a cold JVM spent about 0.8 s on the 100,000 puts of a 100k-concept dictionary,
     * most of a snapshot restore). Written as the entry count, the file's length, then its bytes. The file is built by
     * putting every entry into a fresh persisted map in the temporary directory, sized for at least as many entries as
     * this index was, and is deleted once copied. Reads nothing of this index but its sizing: any thread, while the
     * index changes.
     */
    public void writeTo(final ImageOutput out, final Entries entries) {
        final long count = entries.size();
        final Path file = newBackingFile();
        try {
            try (ChronicleMap<CharSequence, IntValue> copy =
                    builder(Math.max(expectedEntries, count)).createPersistedTo(file.toFile())) {
                final StringBuilder key = new StringBuilder(64);
                final IntValue value = Values.newHeapInstance(IntValue.class);
                int start = 0;
                for (int i = 0; i < entries.ids.length; i++) {
                    key.setLength(0);
                    key.append(entries.keys, start, entries.ends[i]);
                    start = entries.ends[i];
                    value.setValue(entries.ids[i]);
                    copy.put(key, value);
                }
                if (copy.longSize() != count) {
                    throw new IllegalStateException(
                            "the dictionary's image holds " + copy.longSize() + " entries, not " + count);
                }
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                final long length = channel.size();
                out.writeLong(count);
                out.writeLong(length);
                out.writeFile(channel, length);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the dictionary's image through " + file, e);
        } finally {
            deleteQuietly(file);
        }
    }

    /**
     * Writer: replaces this empty index by the one {@link #writeTo} wrote, its map file copied from the image to a
     * private file in the temporary directory and opened there by Chronicle Map (a mapping, not a re-fill). The file
     * is the map's memory from then on and is deleted at {@link #close}; it cannot be unlinked while mapped, because
     * Chronicle Map looks the file up by its path when it grows. Readers must not use the index during the call.
     *
     * @throws IllegalStateException when the index is not empty, or the image's file does not open as a map of the
     *                               recorded entry count.
     */
    public void readFrom(final ImageInput in) {
        if (map.longSize() != 0) {
            throw new IllegalStateException("an image is read into an empty dictionary only");
        }
        final long count = in.readLong();
        final long length = in.readLong();
        if (count < 0 || count > Integer.MAX_VALUE || length <= 0 || length > MAX_FILE_BYTES) {
            throw new IllegalStateException(
                    "engine image: a dictionary of " + count + " entries in " + length + " bytes is out of range");
        }
        final Path file = newBackingFile();
        final ChronicleMap<CharSequence, IntValue> opened;
        try {
            try (FileChannel channel =
                    FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                in.readFile(channel, length);
            }
            opened = builder(expectedEntries).createPersistedTo(file.toFile());
        } catch (final IOException | RuntimeException e) {
            deleteQuietly(file);
            throw new IllegalStateException("engine image: the dictionary's map file does not open", e);
        }
        if (opened.longSize() != count) {
            opened.close();
            deleteQuietly(file);
            throw new IllegalStateException(
                    "engine image: the dictionary holds " + opened.longSize() + " entries, the image says " + count);
        }
        final ChronicleMap<CharSequence, IntValue> empty = map;
        map = opened;
        backingFile = file;
        empty.close();
    }

    private ChronicleMapBuilder<CharSequence, IntValue> builder(final long entries) {
        return ChronicleMap.of(CharSequence.class, IntValue.class)
                .name(name)
                .entries(entries)
                .averageKeySize(averageKeyChars + 2)
                .maxBloatFactor(100.0);
    }

    /**
     * A new, not yet existing file in the temporary directory, named {@code <name>-pid<pid>-<random>.dictionary}. A
     * process killed while it served a restored engine leaves its mapped file behind (only {@link #close} deletes it),
     * so before a new file is made the files of that pattern that this JVM did not make are deleted when their
     * process is gone, or when their pid is this JVM's own: a container restarted after {@code kill -9} often gets
     * the same pid again, and a file of our pid that is not in {@link #FILES_OF_THIS_JVM} cannot be ours.
     */
    private Path newBackingFile() {
        try {
            final Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));
            deleteFilesOfDeadProcesses(tempDir);
            final Path file = Files.createTempFile(
                    tempDir, name + "-pid" + ProcessHandle.current().pid() + "-", DICTIONARY_SUFFIX);
            Files.delete(file); // Chronicle Map creates the file it persists to; an empty one does not open
            FILES_OF_THIS_JVM.add(file.getFileName().toString());
            return file;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a file for the dictionary's image", e);
        }
    }

    private void deleteFilesOfDeadProcesses(final Path tempDir) throws IOException {
        final String prefix = name + "-pid";
        final long self = ProcessHandle.current().pid();
        try (var files = Files.newDirectoryStream(tempDir, prefix + "*" + DICTIONARY_SUFFIX)) {
            for (final Path file : files) {
                final String fileName = file.getFileName().toString();
                final long pid = pidOf(fileName, prefix);
                if (pid < 0 || FILES_OF_THIS_JVM.contains(fileName)) {
                    continue;
                }
                final boolean alive = pid != self
                        && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    deleteQuietly(file);
                }
            }
        }
    }

    /** The pid in {@code <prefix><pid>-...}, or -1 when the name has another shape (not one of ours: left alone). */
    static long pidOf(final String fileName, final String prefix) {
        final int end = fileName.indexOf('-', prefix.length());
        if (end <= prefix.length()) {
            return -1;
        }
        try {
            return Long.parseLong(fileName, prefix.length(), end, 10);
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    private static void deleteQuietly(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (final IOException ignored) {
            // A leftover temporary file costs disk space only; the caller's own failure is the one reported.
        }
    }

    public long size() {
        return map.longSize();
    }

    public long offHeapBytes() {
        return map.offHeapMemoryUsed();
    }

    @Override
    public void close() {
        map.close();
        if (backingFile != null) {
            deleteQuietly(backingFile);
        }
    }
}
