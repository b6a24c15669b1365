package ai.continuum.engine;

import ai.continuum.engine.store.ConceptLayout;
import ai.continuum.engine.store.OffHeapArena;
import ai.continuum.engine.store.TextBlob;

/**
 * A concept's descriptive fields, decoded from its info block (ConceptLayout). Allocates: used when building results
 * and by maintenance, never inside the graph walk.
 */
record ConceptInfo(long firstSeenMillis, String key, String displayName, String type, String description) {

    static long write(final OffHeapArena arena, final Delta.ConceptDelta c) {
        final byte[] key = TextBlob.utf8(c.key());
        final byte[] name = TextBlob.utf8(c.displayName());
        final byte[] type = TextBlob.utf8(c.type());
        final byte[] desc = TextBlob.utf8(c.description());
        final int size = ConceptLayout.INFO_HEADER_BYTES + key.length + name.length + type.length + desc.length;
        final long addr = arena.allocate(size);
        arena.putLong(addr + ConceptLayout.INFO_FIRST_SEEN, c.firstSeenMillis());
        arena.putInt(addr + ConceptLayout.INFO_KEY_BYTES, key.length);
        arena.putInt(addr + ConceptLayout.INFO_NAME_BYTES, name.length);
        arena.putInt(addr + ConceptLayout.INFO_TYPE_BYTES, type.length);
        arena.putInt(addr + ConceptLayout.INFO_DESC_BYTES, desc.length);
        long at = addr + ConceptLayout.INFO_HEADER_BYTES;
        for (final byte[] part : new byte[][] {key, name, type, desc}) {
            arena.putBytes(at, part, 0, part.length);
            at += part.length;
        }
        return addr;
    }

    static long firstSeen(final OffHeapArena arena, final long addr) {
        return arena.getLong(addr + ConceptLayout.INFO_FIRST_SEEN);
    }

    static ConceptInfo read(final OffHeapArena arena, final long addr) {
        final int[] lengths = {
            arena.getInt(addr + ConceptLayout.INFO_KEY_BYTES), arena.getInt(addr + ConceptLayout.INFO_NAME_BYTES),
            arena.getInt(addr + ConceptLayout.INFO_TYPE_BYTES), arena.getInt(addr + ConceptLayout.INFO_DESC_BYTES)};
        final String[] parts = new String[4];
        long at = addr + ConceptLayout.INFO_HEADER_BYTES;
        for (int i = 0; i < 4; i++) {
            final byte[] bytes = new byte[lengths[i]];
            arena.getBytes(at, bytes, 0, bytes.length);
            parts[i] = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            at += bytes.length;
        }
        return new ConceptInfo(arena.getLong(addr + ConceptLayout.INFO_FIRST_SEEN), parts[0], parts[1], parts[2], parts[3]);
    }

    Delta.ConceptDelta toDelta() {
        return new Delta.ConceptDelta(key, displayName, type, description, firstSeenMillis);
    }
}
