package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertEquals(OffHeapArena.FIRST_CHUNK_BYTES, arena.reservedBytes());
        final long b = arena.allocate(100);
        assertEquals(24 + 128, arena.bytesInUse());
        arena.free(a, 17);
        arena.free(b, 100);
        assertEquals(0, arena.bytesInUse());
        assertEquals(OffHeapArena.FIRST_CHUNK_BYTES, arena.reservedBytes(), "freed blocks stay reserved for reuse");
    }

    @Test
    void chunksDoubleFromTheFirstUpToTheGrowthStep() {
        final OffHeapArena arena = new OffHeapArena();
        final int block = 16 * 1024;
        long reserved = 0;
        for (int i = 0; i < 2_500; i++) {
            arena.allocate(block);
        }
        final UnsafeBuffer[] chunks = arena.chunks();
        for (int i = 0; i < chunks.length; i++) {
            final long expected = Math.min(OffHeapArena.GROWN_CHUNK_BYTES, (long) OffHeapArena.FIRST_CHUNK_BYTES << i);
            assertEquals(expected, chunks[i].capacity(), "chunk " + i);
            reserved += expected;
        }
        assertEquals(reserved, arena.reservedBytes());
        assertTrue(chunks.length > 8, "reached the grown chunks: " + chunks.length);
        assertTrue(arena.reservedBytes() < 2L * 2_500 * block, "at most twice what is in use");
        assertTrue(
                arena.reservedBytes() - arena.bytesInUse() < OffHeapArena.GROWN_CHUNK_BYTES,
                "unused: less than one grown chunk, not one of the largest");
    }

    @Test
    void aRequestThatDoesNotFitTheLastChunkOpensANewOneAndFreesTheRest() {
        final OffHeapArena arena = new OffHeapArena();
        final long first = arena.allocate(32);
        final long big = arena.allocate(OffHeapArena.FIRST_CHUNK_BYTES);
        assertEquals(0, first >>> OffHeapArena.CHUNK_SHIFT);
        assertEquals(1, big >>> OffHeapArena.CHUNK_SHIFT, "chunk 0 has no room for it after address 0 and 32 bytes");
        assertEquals(0, OffHeapArena.offset(big));
        assertEquals(2, arena.chunks().length);
        assertEquals(2L * OffHeapArena.FIRST_CHUNK_BYTES, arena.chunks()[1].capacity(), "the growth step's size");
        // the 65,488 bytes left in chunk 0 went to the free lists as blocks of 48 KiB, 12 KiB, 3 KiB, ...
        final long reused = arena.allocate(48 * 1024);
        assertEquals(0, reused >>> OffHeapArena.CHUNK_SHIFT, "cut from the rest of chunk 0");
        assertEquals(16 + 32, OffHeapArena.offset(reused));
        final long next = arena.allocate(12 * 1024);
        assertEquals(16 + 32 + 48 * 1024, OffHeapArena.offset(next));
        assertEquals(32 + OffHeapArena.FIRST_CHUNK_BYTES + 60 * 1024, arena.bytesInUse());
    }

    @Test
    void aBlockLargerThanTheGrowthStepGetsAChunkOfItsOwnSize() {
        final OffHeapArena arena = new OffHeapArena();
        final long big = arena.allocate(OffHeapArena.CHUNK_BYTES / 2);
        assertEquals(
                OffHeapArena.CHUNK_BYTES, arena.chunks()[0].capacity(), "half a chunk after the 16 reserved bytes");
        assertTrue(arena.isValid(big, OffHeapArena.CHUNK_BYTES / 2));
        final long largest = arena.allocate(OffHeapArena.CHUNK_BYTES);
        assertEquals(OffHeapArena.CHUNK_BYTES, arena.chunks()[1].capacity());
        assertEquals(1, largest >>> OffHeapArena.CHUNK_SHIFT);
        assertTrue(arena.isValid(largest, OffHeapArena.CHUNK_BYTES));
    }

    @Test
    void theLargestBlockFitsAFreshArena() {
        final OffHeapArena arena = new OffHeapArena();
        final long largest = arena.allocate(OffHeapArena.CHUNK_BYTES);
        assertTrue(arena.isValid(largest, OffHeapArena.CHUNK_BYTES), "not across the end of a chunk");
        assertNotEquals(0, largest);
    }

    @Test
    void anImageRestoresTheChunksTheirSizesAndTheFreeLists(@TempDir final Path dir) throws IOException {
        final OffHeapArena arena = new OffHeapArena();
        final long[] blocks = new long[300];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = arena.allocate(1_000);
            arena.putLong(blocks[i], i);
        }
        arena.free(blocks[7], 1_000);
        final Path file = dir.resolve("arena.img");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            final ImageOutput out = new ImageOutput(ch);
            arena.writeTo(out);
            out.flush();
        }
        final OffHeapArena restored = new OffHeapArena();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            restored.readFrom(new ImageInput(ch));
        }
        assertEquals(arena.reservedBytes(), restored.reservedBytes());
        assertEquals(arena.bytesInUse(), restored.bytesInUse());
        assertEquals(arena.chunks().length, restored.chunks().length);
        for (int i = 0; i < blocks.length; i++) {
            if (i != 7) {
                assertEquals(i, restored.getLong(blocks[i]));
            }
        }
        assertEquals(blocks[7], restored.allocate(1_000), "the freed block is the first reused");
        assertEquals(blocks[7], arena.allocate(1_000));
        assertEquals(arena.allocate(1_000), restored.allocate(1_000), "both go on from the same bump pointer");
    }

    @Test
    void isValidRejectsAddressesOutsideTheChunks() {
        final OffHeapArena arena = new OffHeapArena();
        assertFalse(arena.isValid(16, 4), "no chunk yet");
        final long a = arena.allocate(64);
        assertTrue(arena.isValid(a, 64));
        assertFalse(arena.isValid(-1, 4));
        assertFalse(arena.isValid(a, -1));
        assertFalse(arena.isValid(a, OffHeapArena.FIRST_CHUNK_BYTES), "runs past the end of the chunk");
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
        assertEquals(OffHeapArena.FIRST_CHUNK_BYTES, arena.reservedBytes());
    }
}
