package ai.continuum.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Room for a checkpoint's second engine, on the figures measured for the 100k/500k service (benchmarks/RESULTS.md,
 * "A real 256 MiB container"): a 118 MiB engine, 248-264 MiB resident at ready.
 */
class MemoryRoomTest {
    private static final long MIB = 1L << 20;
    private static final long ENGINE = 118 * MIB;

    @Test
    void shouldFindNoRoomInThePodsWhereASecondEngineWasKilled() {
        // OOM-killed during a separate checkpoint at 384 MiB (anon 248 -> 360).
        assertFalse(room(384, 264, 288, 119).fitsAnother(ENGINE));
        assertFalse(room(512, 300, 384, 119).fitsAnother(ENGINE), "512 MiB held it, with 50 MiB to spare: too close");
    }

    @Test
    void shouldFindRoomWhereTwoEnginesFitWithMarginToSpare() {
        assertTrue(room(1024, 300, 768, 119).fitsAnother(ENGINE));
        assertTrue(room(6 * 1024, 660, 1536, 119).fitsAnother(ENGINE), "a host without a container limit");
    }

    @Test
    void shouldFindNoRoomWhenTheDirectMemoryLimitCannotTakeTheSecondEngine() {
        // A 6 GiB host, but the JVM's default direct limit is its maximum heap: 128 MiB here, 119 in use.
        assertFalse(room(6 * 1024, 366, 128, 119).fitsAnother(ENGINE));
    }

    @Test
    void shouldMeasureThisProcess() {
        final MemoryRoom here = MemoryRoom.ofThisProcess();
        assertTrue(here.limitBytes() > 0 && here.residentBytes() > 0 && here.directLimitBytes() > 0, here.toString());
        assertTrue(here.residentBytes() < here.limitBytes(), here.toString());
    }

    private static MemoryRoom room(final long limitMib, final long residentMib, final long directMib, final long used) {
        return new MemoryRoom(limitMib * MIB, residentMib * MIB, directMib * MIB, used * MIB);
    }
}
