package ai.continuum.engine.store;

import net.openhft.chronicle.core.values.IntValue;
import net.openhft.chronicle.map.ChronicleMap;
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

    private final ChronicleMap<CharSequence, IntValue> map;
    /** Writer only. */
    private final Probe writerProbe = new Probe();

    /**
     * @param name            for Chronicle's diagnostics.
     * @param expectedEntries sizing target; the map grows to a hundred times this, past which puts fail. Lookups slow
     *                        down as it outgrows the target (measured: 2M keys in a map sized for 65,536 look up about
     *                        a third slower), so the server sizes it at start from what storage holds.
     */
    public StringIndex(final String name, final long expectedEntries, final double averageKeyChars) {
        this.map = ChronicleMap.of(CharSequence.class, IntValue.class)
                .name(name)
                .entries(expectedEntries)
                .averageKeySize(averageKeyChars + 2)
                .maxBloatFactor(100.0)
                .create();
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

    /** Writer: every entry into an engine image, as its count then (key chars, id) pairs. */
    public void writeTo(final ImageOutput out) {
        out.writeLong(map.longSize());
        long written = 0;
        for (final var entry : map.entrySet()) {
            out.writeChars(entry.getKey());
            out.writeInt(entry.getValue().getValue());
            written++;
        }
        if (written != map.longSize()) {
            throw new IllegalStateException("the dictionary changed while it was written to an image");
        }
    }

    /** Writer: puts the entries {@link #writeTo} wrote into this empty index. */
    public void readFrom(final ImageInput in) {
        if (map.longSize() != 0) {
            throw new IllegalStateException("an image is read into an empty dictionary only");
        }
        final long count = in.readLong();
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw new IllegalStateException("engine image: " + count + " dictionary entries is out of range");
        }
        final StringBuilder key = new StringBuilder(64);
        for (long i = 0; i < count; i++) {
            in.readChars(1 << 20, key);
            writerProbe.value.setValue(in.readInt());
            map.put(key, writerProbe.value);
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
    }
}
