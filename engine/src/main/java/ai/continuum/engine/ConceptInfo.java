package ai.continuum.engine;

import ai.continuum.engine.store.ConceptLayout;
import ai.continuum.engine.store.DecodeBuffer;
import ai.continuum.engine.store.InternTable;
import ai.continuum.engine.store.OffHeapArena;
import ai.continuum.engine.store.TextBlob;
import ai.continuum.engine.store.TextChars;
import java.nio.charset.StandardCharsets;

/**
 * A concept's descriptive fields, decoded from its info block (ConceptLayout). Allocates: used when building results
 * and by maintenance, never inside the graph walk.
 */
record ConceptInfo(long firstSeenMillis, String key, String displayName, String type, String description) {

    /** Writes an info block for {@code c}, interning its type and description; returns the block's address. */
    static long write(final OffHeapArena arena, final InternTable interned, final Delta.ConceptDelta c) {
        final byte[] name = TextBlob.utf8(c.displayName());
        final byte[] key = ConceptKeys.normalize(c.displayName()).equals(c.key()) ? null : TextBlob.utf8(c.key());
        final int keyBytes = key == null ? ConceptLayout.KEY_DERIVED : key.length;
        final long addr = arena.allocate(ConceptLayout.infoBytes(name.length, keyBytes));
        arena.putLong(addr + ConceptLayout.INFO_FIRST_SEEN, c.firstSeenMillis());
        arena.putInt(addr + ConceptLayout.INFO_TYPE_ID, interned.intern(c.type()));
        arena.putInt(addr + ConceptLayout.INFO_DESC_ID, interned.intern(c.description()));
        arena.putInt(addr + ConceptLayout.INFO_NAME_BYTES, name.length);
        arena.putInt(addr + ConceptLayout.INFO_KEY_BYTES, keyBytes);
        final long text = addr + ConceptLayout.INFO_HEADER_BYTES;
        arena.putBytes(text, name, 0, name.length);
        if (key != null) {
            arena.putBytes(text + name.length, key, 0, key.length);
        }
        return addr;
    }

    static long firstSeen(final OffHeapArena arena, final long addr) {
        return arena.getLong(addr + ConceptLayout.INFO_FIRST_SEEN);
    }

    /**
     * The display name alone, for callers that print nothing else (recall's concepts and memory concept names), copied
     * through the reader's {@code buffer}.
     */
    static String displayName(final OffHeapArena arena, final long addr, final DecodeBuffer buffer) {
        return buffer.utf8(
                arena, addr + ConceptLayout.INFO_HEADER_BYTES, arena.getInt(addr + ConceptLayout.INFO_NAME_BYTES));
    }

    /** As {@link #displayName(OffHeapArena, long, DecodeBuffer)}, decoded into {@code out}: no string. */
    static void displayName(final OffHeapArena arena, final long addr, final TextChars out, final DecodeBuffer buffer) {
        out.load(
                arena,
                addr + ConceptLayout.INFO_HEADER_BYTES,
                arena.getInt(addr + ConceptLayout.INFO_NAME_BYTES),
                buffer);
    }

    static String type(final OffHeapArena arena, final InternTable interned, final long addr) {
        return interned.text(arena.getInt(addr + ConceptLayout.INFO_TYPE_ID));
    }

    static String description(final OffHeapArena arena, final InternTable interned, final long addr) {
        return interned.text(arena.getInt(addr + ConceptLayout.INFO_DESC_ID));
    }

    static ConceptInfo read(final OffHeapArena arena, final InternTable interned, final long addr) {
        final int nameBytes = arena.getInt(addr + ConceptLayout.INFO_NAME_BYTES);
        final int keyBytes = arena.getInt(addr + ConceptLayout.INFO_KEY_BYTES);
        final long text = addr + ConceptLayout.INFO_HEADER_BYTES;
        final String name = utf8(arena, text, nameBytes);
        final String key = keyBytes == ConceptLayout.KEY_DERIVED
                ? ConceptKeys.normalize(name)
                : utf8(arena, text + nameBytes, keyBytes);
        return new ConceptInfo(
                arena.getLong(addr + ConceptLayout.INFO_FIRST_SEEN),
                key,
                name,
                type(arena, interned, addr),
                description(arena, interned, addr));
    }

    private static String utf8(final OffHeapArena arena, final long at, final int length) {
        final byte[] bytes = new byte[length];
        arena.getBytes(at, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    Delta.ConceptDelta toDelta() {
        return new Delta.ConceptDelta(key, displayName, type, description, firstSeenMillis);
    }
}
