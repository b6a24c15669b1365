package ai.continuum.engine;

import ai.continuum.engine.store.ImageInput;
import ai.continuum.engine.store.ImageOutput;
import ai.continuum.engine.store.LayoutCheck;
import java.nio.ByteOrder;
import java.util.Map;
import org.agrona.collections.IntArrayList;

/**
 * The engine's state as one image: the off-heap regions dumped as they are (so loading one is a sequential read, not
 * a replay of millions of deltas), then the tenants' heap state. An image is only ever loaded by a build with the
 * same {@link #FORMAT}, the same off-heap layouts ({@link LayoutCheck#fingerprint}) and the same byte order.
 *
 * <pre>
 *  int   FORMAT
 *  long  layout fingerprint
 *  int   byte order (1 little-endian, 2 big-endian)
 *  int   next tenant id, int tenants, then per tenant: id, name, its concept, memory, compound and decision lists,
 *        its six counters and its session -> latest memory map
 *  arena, concept graph (concepts, links, link table, interned texts), concept words, memory terms (their arena,
 *  the index and each memory's term entries), memories and decisions, compounds, dictionary (last: its map file is built
 *  from entries captured with the rest, after the engine's writers are let go)
 * </pre>
 */
final class EngineImage {
    /**
     * Version of this encoding. Bump it when the encoding of any region changes in a way {@link LayoutCheck} does not
     * describe (the arena's size classes, the list or blob formats, the order of the sections).
     */
    // 2: the dictionary as Chronicle Map's persisted file (StringIndex#writeTo); 3: the memory terms' own arena;
    // 4: the dictionary last; 5: each memory's term ids after the memory terms; 6: a term id marks a word said as a
    // name (TermIdLists), which a format-5 image lacks and would restore as no names; 7: each arena chunk's size before
    // its bytes (OffHeapArena: chunks grow from 64 KiB), where every chunk was 16 MiB; 8: lists of up to two ints
    // inside
    // their header (IntLists), words of up to 7 chars in their record and longer ones one byte a char (WordIndex),
    // which a format-7 build would misread
    static final int FORMAT = 8;

    private static final int LITTLE_ENDIAN = 1;
    private static final int BIG_ENDIAN = 2;
    private static final int MAX_NAME_BYTES = 1 << 16;

    private EngineImage() {}

    /** What an image written by this build starts with: format, layout and byte order. */
    static long identity() {
        return LayoutCheck.fingerprint() * 31 + FORMAT * 7L + byteOrder();
    }

    static void writeHeader(final ImageOutput out) {
        out.writeInt(FORMAT);
        out.writeLong(LayoutCheck.fingerprint());
        out.writeInt(byteOrder());
    }

    static void readHeader(final ImageInput in) {
        final int format = in.readInt();
        final long layout = in.readLong();
        final int order = in.readInt();
        if (format != FORMAT || layout != LayoutCheck.fingerprint() || order != byteOrder()) {
            throw new IllegalStateException("engine image of format " + format + ", layout "
                    + Long.toHexString(layout) + ", byte order " + order + "; this build reads format " + FORMAT
                    + ", layout " + Long.toHexString(LayoutCheck.fingerprint()) + ", byte order " + byteOrder());
        }
    }

    static void writeTenant(final ImageOutput out, final TenantState t) {
        out.writeInt(t.id);
        out.writeUtf8(t.name);
        writeList(out, t.concepts);
        writeList(out, t.memories);
        writeList(out, t.compounds);
        writeList(out, t.decisions);
        out.writeLong(t.liveConcepts);
        out.writeLong(t.liveLinks);
        out.writeLong(t.liveMemories);
        out.writeLong(t.liveCompounds);
        out.writeLong(t.liveDecisions);
        out.writeLong(t.memoryTerms);
        out.writeInt(t.lastMemoryOfSession.size());
        for (final Map.Entry<String, Integer> e : t.lastMemoryOfSession.entrySet()) {
            out.writeChars(e.getKey());
            out.writeInt(e.getValue());
        }
    }

    // The counters are volatile for readers; the tenant is not published until it is read whole.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    static TenantState readTenant(final ImageInput in) {
        final TenantState t = new TenantState(in.readInt(), in.readUtf8(MAX_NAME_BYTES));
        readList(in, t.concepts);
        readList(in, t.memories);
        readList(in, t.compounds);
        readList(in, t.decisions);
        t.liveConcepts = in.readLong();
        t.liveLinks = in.readLong();
        t.liveMemories = in.readLong();
        t.liveCompounds = in.readLong();
        t.liveDecisions = in.readLong();
        t.memoryTerms = in.readLong();
        final int sessions = in.readCount(Integer.MAX_VALUE, "sessions");
        final StringBuilder key = new StringBuilder();
        for (int i = 0; i < sessions; i++) {
            in.readChars(1 << 24, key);
            t.lastMemoryOfSession.put(key.toString(), in.readInt());
        }
        return t;
    }

    private static void writeList(final ImageOutput out, final IntArrayList list) {
        out.writeInt(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.writeInt(list.getInt(i));
        }
    }

    private static void readList(final ImageInput in, final IntArrayList list) {
        final int n = in.readCount(Integer.MAX_VALUE - 8, "list size");
        list.ensureCapacity(n);
        for (int i = 0; i < n; i++) {
            list.addInt(in.readInt());
        }
    }

    private static int byteOrder() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? LITTLE_ENDIAN : BIG_ENDIAN;
    }
}
