package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DecodeBufferTest {
    @Test
    void shouldReuseItsArrayForTextsThatFit() {
        final DecodeBuffer buffer = new DecodeBuffer(64);
        final byte[] first = buffer.atLeast(10);
        assertEquals(64, first.length);
        assertSame(first, buffer.atLeast(64));
    }

    @Test
    void shouldGrowAtLeastTwofoldAndKeepTheLargerArray() {
        final DecodeBuffer buffer = new DecodeBuffer(64);
        final byte[] grown = buffer.atLeast(65);
        assertEquals(128, grown.length);
        assertSame(grown, buffer.atLeast(100));
        assertEquals(5_000, buffer.atLeast(5_000).length);
    }

    @Test
    void shouldNotKeepAnArrayBeyondTheRetainedBound() {
        final DecodeBuffer buffer = new DecodeBuffer(0);
        final byte[] kept = buffer.atLeast(DecodeBuffer.MAX_RETAINED);
        final byte[] large = buffer.atLeast(DecodeBuffer.MAX_RETAINED + 1);
        assertTrue(large.length > DecodeBuffer.MAX_RETAINED);
        assertNotSame(large, buffer.atLeast(DecodeBuffer.MAX_RETAINED + 1));
        assertSame(kept, buffer.atLeast(10), "the retained array is still the one in use");
    }
}
