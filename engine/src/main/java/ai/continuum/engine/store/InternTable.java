package ai.continuum.engine.store;

import static ai.continuum.engine.store.LayoutCheck.field;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Interned strings off the Java heap: each distinct string is stored once and named by a dense int id. Concept types
 * and descriptions repeat across almost every concept ("concept", the source of the sighting), so a concept's info
 * block holds two ids instead of two copies.
 *
 * <pre>
 *  intern record (8 bytes, by id)
 *   0  long  textAddr    arena block: int byteLength, then the UTF-8 bytes
 * </pre>
 *
 * <p>Strings are never removed: an id may be held by any info block, and the set is small in practice (a forgotten
 * concept's unusual description stays, as its info block does).
 *
 * <p>Thread model: {@link #intern} by the single writer only; {@link #text} from any thread for an id the reader
 * obtained through a release/acquire chain that started after the id was interned (a published info block), so the
 * record and its text are visible.
 */
public final class InternTable {
    static final int TEXT_ADDR = 0;
    static final int RECORD_BYTES = 8;

    static {
        LayoutCheck.check("intern record", RECORD_BYTES, 8, field("textAddr", TEXT_ADDR, 8));
    }

    /**
     * Ids whose decoded text is kept on the heap, and the longest text kept: types and the common descriptions are
     * interned first and shown in every recall, so recall reads them without decoding; the bounds cap the heap this
     * takes at about 0.5 MiB.
     */
    static final int DECODED_IDS = 4_096;

    static final int DECODED_MAX_CHARS = 64;

    private final OffHeapArena arena;
    /** Decoded texts of ids below {@link #DECODED_IDS}, filled by readers on first use. */
    private final AtomicReferenceArray<String> decoded = new AtomicReferenceArray<>(DECODED_IDS);

    private final RecordStore records = new RecordStore(RECORD_BYTES, 10);
    private final IndexHashTable table = new IndexHashTable(64, this::recordHash);
    /** Writer only: the string being looked up. */
    private byte[] probe;

    public InternTable(final OffHeapArena arena) {
        this.arena = arena;
    }

    /** Writer: the id of {@code text}, storing it on first use. */
    public int intern(final String text) {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        probe = utf8;
        final int hash = Arrays.hashCode(utf8);
        final int found = table.find(hash, this::matchesProbe);
        if (found != IndexHashTable.MISSING) {
            return found;
        }
        final long addr = arena.allocate(4 + utf8.length);
        arena.putInt(addr, utf8.length);
        arena.putBytes(addr + 4, utf8, 0, utf8.length);
        final int id = records.add();
        records.buffer(id).putLong(records.offset(id) + TEXT_ADDR, addr);
        table.put(hash, id);
        return id;
    }

    /** Any thread: the string with this id. */
    public String text(final int id) {
        final boolean cacheable = id < DECODED_IDS;
        if (cacheable) {
            final String known = decoded.getAcquire(id);
            if (known != null) {
                return known;
            }
        }
        final String text = new String(bytes(id), StandardCharsets.UTF_8);
        if (cacheable && text.length() <= DECODED_MAX_CHARS) {
            // Racing readers may both decode; either string is the same text (an id's text never changes).
            decoded.setRelease(id, text);
        }
        return text;
    }

    /** Distinct strings held. */
    public int size() {
        return records.size();
    }

    /** Off-heap bytes of the records and the hash table; the text blocks are counted in the arena. */
    /**
     * Returns the direct memory of this structure's own records and hash tables now (the arena it was given is its
     * owner's to release). Only when no thread reads it any more.
     */
    public void release() {
        records.release();
        table.release();
    }

    public long reservedBytes() {
        return records.reservedBytes() + table.reservedBytes();
    }

    /** Writer: the records and their table into an engine image (the texts are in the arena). */
    public void writeTo(final ImageOutput out) {
        records.writeTo(out);
        table.writeTo(out);
    }

    /** Writer: restores what {@link #writeTo} wrote into this empty table. */
    public void readFrom(final ImageInput in) {
        records.readFrom(in);
        table.readFrom(in);
    }

    private byte[] bytes(final int id) {
        final long addr = records.buffer(id).getLong(records.offset(id) + TEXT_ADDR);
        final int length = arena.getInt(addr);
        final byte[] bytes = new byte[length];
        arena.getBytes(addr + 4, bytes, 0, length);
        return bytes;
    }

    /** Compares in place: the writer interns on every new concept, and learn should not allocate for it. */
    private boolean matchesProbe(final int id) {
        final long addr = records.buffer(id).getLong(records.offset(id) + TEXT_ADDR);
        if (arena.getInt(addr) != probe.length) {
            return false;
        }
        final var buffer = arena.buffer(addr + 4);
        final int at = OffHeapArena.offset(addr + 4);
        for (int i = 0; i < probe.length; i++) {
            if (buffer.getByte(at + i) != probe[i]) {
                return false;
            }
        }
        return true;
    }

    private int recordHash(final int id) {
        return Arrays.hashCode(bytes(id));
    }
}
