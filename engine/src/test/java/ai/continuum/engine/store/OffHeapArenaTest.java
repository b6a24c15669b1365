package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The arena on its own: size classes, free-list reuse, chunk growth, and the "address 0 means no block" rule. */
class OffHeapArenaTest {

    @Test
    void sizeClassesArePowersOfTwoAndOneAndAHalfTimesThem() {
        final int[] expected = {16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512};
        for (int cls = 0; cls < expected.length; cls++) {
            assertEquals(expected[cls], OffHeapArena.classSize(cls), "class " + cls);
        }
    }

    @Test
    void blockSizeIsTheSmallestClassThatHoldsTheRequest() {
        assertEquals(16, OffHeapArena.blockSize(1));
        assertEquals(16, OffHeapArena.blockSize(16));
        assertEquals(24, OffHeapArena.blockSize(17));
        assertEquals(24, OffHeapArena.blockSize(24));
        assertEquals(32, OffHeapArena.blockSize(25));
        assertEquals(48, OffHeapArena.blockSize(33));
        assertEquals(64, OffHeapArena.blockSize(49));
        assertEquals(96, OffHeapArena.blockSize(65));
        assertEquals(OffHeapArena.CHUNK_BYTES, OffHeapArena.blockSize(OffHeapArena.CHUNK_BYTES));
        for (int bytes = 1; bytes <= 100_000; bytes++) {
            final int size = OffHeapArena.blockSize(bytes);
            assertTrue(size >= bytes, "block of " + size + " for " + bytes + " bytes");
            // the next smaller class must not fit, else the request wastes a class
            final int cls = OffHeapArena.sizeClass(bytes);
            assertTrue(cls == 0 || OffHeapArena.classSize(cls - 1) < bytes, "class below fits " + bytes + " bytes");
        }
    }

    @Test
    void addressZeroIsNeverIssued() {
        final OffHeapArena arena = new OffHeapArena();
        final long first = arena.allocate(16);
        assertNotEquals(0L, first);
        assertTrue(first > 0);
        // freeing and reallocating the first block still never gives 0
        arena.free(first, 16);
        assertEquals(first, arena.allocate(16));
    }

    @Test
    void aFreedBlockIsReusedByTheNextRequestOfItsSizeClassLastFreedFirst() {
        final OffHeapArena arena = new OffHeapArena();
        final long a = arena.allocate(40);
        final long b = arena.allocate(40);
        arena.free(a, 40);
        arena.free(b, 40);
        assertEquals(b, arena.allocate(33), "same class (48 bytes): last freed comes back first");
        assertEquals(a, arena.allocate(48));
        final long fresh = arena.allocate(48);
        assertNotEquals(a, fresh);
        assertNotEquals(b, fresh);
    }

    @Test
    void aFreedBlockIsNotHandedToAnotherSizeClass() {
        final OffHeapArena arena = new OffHeapArena();
        final long small = arena.allocate(16);
        arena.free(small, 16);
        final long bigger = arena.allocate(24);
        assertNotEquals(small, bigger);
        assertEquals(small, arena.allocate(10));
    }

    @Test
    void blocksDoNotOverlapAndKeepTheirContents() {
        final OffHeapArena arena = new OffHeapArena();
        final int n = 2_000;
        final long[] addrs = new long[n];
        final int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = 4 + (i * 37) % 500;
            addrs[i] = arena.allocate(sizes[i]);
            for (int at = 0; at + 4 <= sizes[i]; at += 4) {
                arena.putInt(addrs[i] + at, i);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int at = 0; at + 4 <= sizes[i]; at += 4) {
                assertEquals(i, arena.getInt(addrs[i] + at), "block " + i + " byte " + at);
            }
        }
    }

    @Test
    void bytesInUseCountsWholeBlocks() {
        final OffHeapArena arena = new OffHeapArena();
        assertEquals(0, arena.bytesInUse());
        assertEquals(0, arena.reservedBytes());
        final long a = arena.allocate(17);
        assertEquals(24, arena.bytesInUse());
        assertEquals(OffHeapArena.CHUNK_BYTES, arena.reservedBytes());
        final long b = arena.allocate(100);
        assertEquals(24 + 128, arena.bytesInUse());
        arena.free(a, 17);
        arena.free(b, 100);
        assertEquals(0, arena.bytesInUse());
        assertEquals(OffHeapArena.CHUNK_BYTES, arena.reservedBytes(), "freed blocks stay reserved for reuse");
    }

    @Test
    void aRequestThatDoesNotFitTheLastChunkOpensANewOne() {
        final OffHeapArena arena = new OffHeapArena();
        final long half = arena.allocate(OffHeapArena.CHUNK_BYTES / 2);
        final long other = arena.allocate(OffHeapArena.CHUNK_BYTES / 2);
        assertEquals(0, half >>> OffHeapArena.CHUNK_SHIFT);
        assertEquals(1, other >>> OffHeapArena.CHUNK_SHIFT, "chunk 0 lost its first 16 bytes to address 0");
        assertEquals(0, OffHeapArena.offset(other));
        assertEquals(2L * OffHeapArena.CHUNK_BYTES, arena.reservedBytes());
        assertEquals(2, arena.chunks().length);
    }

    @Test
    void isValidRejectsAddressesOutsideTheChunks() {
        final OffHeapArena arena = new OffHeapArena();
        assertFalse(arena.isValid(16, 4), "no chunk yet");
        final long a = arena.allocate(64);
        assertTrue(arena.isValid(a, 64));
        assertFalse(arena.isValid(-1, 4));
        assertFalse(arena.isValid(a, -1));
        assertFalse(arena.isValid(a, OffHeapArena.CHUNK_BYTES), "runs past the end of the chunk");
        assertFalse(arena.isValid(1L << OffHeapArena.CHUNK_SHIFT, 4), "chunk 1 does not exist");
    }

    @Test
    void requestsOutsideOneChunkAreRejected() {
        final OffHeapArena arena = new OffHeapArena();
        assertThrows(IllegalArgumentException.class, () -> arena.allocate(0));
        assertThrows(IllegalArgumentException.class, () -> arena.allocate(-8));
        assertThrows(IllegalArgumentException.class, () -> arena.allocate(OffHeapArena.CHUNK_BYTES + 1));
    }

    @Test
    void churnReusesMemoryInsteadOfGrowing() {
        final OffHeapArena arena = new OffHeapArena();
        final Set<Long> seen = new HashSet<>();
        for (int round = 0; round < 10_000; round++) {
            final long a = arena.allocate(200);
            seen.add(a);
            arena.free(a, 200);
        }
        assertEquals(1, seen.size(), "one block serves every round");
        assertEquals(OffHeapArena.CHUNK_BYTES, arena.reservedBytes());
    }
}
