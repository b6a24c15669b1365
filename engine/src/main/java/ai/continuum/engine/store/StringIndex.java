package ai.continuum.engine.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    /**
     * The threads {@link #readFrom(ImageInput, int)} re-fills with by default: one per available processor, at most
     * {@value #MAX_REFILL_THREADS}.
     */
    public static int defaultRefillThreads() {
        return Math.clamp(Runtime.getRuntime().availableProcessors(), 1, MAX_REFILL_THREADS);
    }

    private static final int MAX_REFILL_THREADS = 4;
    /**
     * Entries read from the image before they are put, as one batch: large enough that a batch's puts outweigh handing
     * it to the threads, small enough that the staged keys stay a few MiB of heap at any dictionary size.
     */
    private static final int REFILL_BATCH = 1 << 16;
    /** Below this many entries the refill runs on the calling thread alone: starting threads costs more. */
    private static final long PARALLEL_FROM = 20_000;

    /** Writer: puts the entries {@link #writeTo} wrote into this empty index, on the calling thread alone. */
    public void readFrom(final ImageInput in) {
        readFrom(in, 1);
    }

    /**
     * Writer: puts the entries {@link #writeTo} wrote into this empty index. The re-fill is where a snapshot restore
     * spends most of its time (Chronicle Map is not dumped as memory; every entry is hashed and put again), so with
     * {@code threads > 1} the entries are read in batches and each batch is put by that many threads at once: Chronicle
     * Map locks per segment, so puts of different keys proceed in parallel. The stream is still read once, in order,
     * on the calling thread; the resulting map holds the same entries either way (keys are distinct in an image).
     */
    public void readFrom(final ImageInput in, final int threads) {
        if (map.longSize() != 0) {
            throw new IllegalStateException("an image is read into an empty dictionary only");
        }
        final long count = in.readLong();
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw new IllegalStateException("engine image: " + count + " dictionary entries is out of range");
        }
        if (threads <= 1 || count < PARALLEL_FROM) {
            final StringBuilder key = new StringBuilder(64);
            for (long i = 0; i < count; i++) {
                in.readChars(1 << 20, key);
                writerProbe.value.setValue(in.readInt());
                map.put(key, writerProbe.value);
            }
            return;
        }
        final ExecutorService pool = Executors.newFixedThreadPool(threads - 1, runnable -> {
            final Thread t = new Thread(runnable, "continuum-dictionary-refill");
            t.setDaemon(true);
            return t;
        });
        try {
            final RefillBatch batch = new RefillBatch();
            for (long done = 0; done < count; ) {
                final int n = (int) Math.min(REFILL_BATCH, count - done);
                batch.read(in, n);
                putInParallel(batch, threads, pool);
                done += n;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Puts the batch's entries: stripe {@code s} of {@code threads} by each thread, the last on the calling one. */
    private void putInParallel(final RefillBatch batch, final int threads, final ExecutorService pool) {
        final List<Future<?>> stripes = new ArrayList<>(threads - 1);
        for (int s = 0; s < threads - 1; s++) {
            final int stripe = s;
            stripes.add(pool.submit(() -> batch.putStripe(map, stripe, threads)));
        }
        batch.putStripe(map, threads - 1, threads);
        for (final Future<?> f : stripes) {
            try {
                f.get();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while re-filling the dictionary", e);
            } catch (final ExecutionException e) {
                throw new IllegalStateException("re-filling the dictionary failed", e.getCause());
            }
        }
    }

    /**
     * Entries of the image staged on the heap: every key's chars back to back in one array, with start offsets, and
     * the ids. Reused from batch to batch.
     */
    private static final class RefillBatch {
        private char[] chars = new char[REFILL_BATCH * 24];
        private final int[] starts = new int[REFILL_BATCH + 1];
        private final int[] ids = new int[REFILL_BATCH];
        private final StringBuilder key = new StringBuilder(64);
        private int size;

        void read(final ImageInput in, final int n) {
            int at = 0;
            for (int i = 0; i < n; i++) {
                in.readChars(1 << 20, key);
                final int len = key.length();
                if (at + len > chars.length) {
                    chars = Arrays.copyOf(chars, Math.max(chars.length * 2, at + len));
                }
                key.getChars(0, len, chars, at);
                starts[i] = at;
                at += len;
                ids[i] = in.readInt();
            }
            starts[n] = at;
            size = n;
        }

        /** Puts entries {@code stripe}, {@code stripe + threads}, ... with this thread's own key and value holders. */
        void putStripe(final ChronicleMap<CharSequence, IntValue> map, final int stripe, final int threads) {
            final StringBuilder k = new StringBuilder(64);
            final IntValue v = Values.newHeapInstance(IntValue.class);
            for (int i = stripe; i < size; i += threads) {
                k.setLength(0);
                k.append(chars, starts[i], starts[i + 1] - starts[i]);
                v.setValue(ids[i]);
                map.put(k, v);
            }
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
