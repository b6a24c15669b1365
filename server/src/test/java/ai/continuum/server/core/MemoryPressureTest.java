package ai.continuum.server.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The memory guard's decisions on a scripted resident size and clock. */
class MemoryPressureTest {
    private static final long MIB = 1L << 20;
    private static final long LIMIT = 256 * MIB;

    private final AtomicLong held = new AtomicLong(100 * MIB);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger collections = new AtomicInteger();

    private MemoryPressure pressure(final int percent) {
        return new MemoryPressure(
                LIMIT,
                percent,
                () -> {
                    reads.incrementAndGet();
                    return OptionalLong.of(held.get());
                },
                now::get,
                collections::incrementAndGet);
    }

    private void later() {
        now.addAndGet(MemoryPressure.SAMPLE_NANOS);
    }

    @Test
    void refusesFromItsShareOfTheLimitAndAcceptsAgainFivePointsBelow() {
        final MemoryPressure p = pressure(90);
        assertFalse(p.refusing());
        held.set(LIMIT / 100 * 90);
        later();
        assertTrue(p.refusing(), "at 90%");
        final MemoryPressureException refused = assertThrows(MemoryPressureException.class, p::admitData);
        assertTrue(refused.getMessage().contains("230 of 256 MiB"), refused.getMessage());
        assertTrue(refused.getMessage().contains("nothing was applied"), refused.getMessage());

        held.set(LIMIT / 100 * 86);
        later();
        assertTrue(p.refusing(), "86% is inside the margin: still refusing");
        held.set(LIMIT / 100 * 85 - 1);
        later();
        assertFalse(p.refusing(), "below 85%: accepting");
        assertDoesNotThrow(p::admitData);
        held.set(LIMIT / 100 * 89);
        later();
        assertFalse(p.refusing(), "89% is below the threshold");
    }

    @Test
    void whileRefusingItAsksForAFullCollectionAtMostEveryTenSeconds() {
        final MemoryPressure p = pressure(90);
        p.refusing();
        assertEquals(0, collections.get(), "not while accepting");
        held.set(LIMIT);
        for (int i = 0; i < 40; i++) { // 10 s of samples
            later();
            assertTrue(p.refusing());
        }
        assertEquals(1, collections.get(), "one at the crossing, none for the next 10 s");
        later();
        p.refusing();
        assertEquals(2, collections.get());
        held.set(LIMIT / 2);
        for (int i = 0; i < 80; i++) {
            later();
            assertFalse(p.refusing());
        }
        assertEquals(2, collections.get(), "none once accepting again");
    }

    @Test
    void readsTheProcessAtMostOncePerSamplePeriod() {
        final MemoryPressure p = pressure(90);
        for (int i = 0; i < 1_000; i++) {
            p.refusing();
        }
        assertEquals(1, reads.get());
        held.set(LIMIT);
        assertFalse(p.refusing(), "the new size is not read before the period is over");
        later();
        assertTrue(p.refusing());
        assertEquals(2, reads.get());
    }

    @Test
    void offOrUnreadableNeverRefuses() {
        held.set(LIMIT);
        final MemoryPressure off = pressure(0);
        assertFalse(off.refusing());
        assertEquals(0, reads.get(), "off reads nothing");
        assertFalse(MemoryPressure.OFF.refusing());

        final MemoryPressure unreadable =
                new MemoryPressure(LIMIT, 90, OptionalLong::empty, now::get, collections::incrementAndGet);
        later();
        assertFalse(unreadable.refusing());
        final MemoryPressure noLimit =
                new MemoryPressure(0, 90, () -> OptionalLong.of(LIMIT), now::get, collections::incrementAndGet);
        assertFalse(noLimit.refusing());
    }

    @Test
    void aShareBelowHalfOrAboveNinetyNineIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> pressure(49));
        assertThrows(IllegalArgumentException.class, () -> pressure(100));
        assertDoesNotThrow(() -> pressure(50));
    }

    @Test
    void thisProcessIsReadOnLinux() {
        assertTrue(ProcessMemory.limitBytes() > 0);
        if (System.getProperty("os.name").startsWith("Linux")) {
            final OptionalLong anon = ProcessMemory.statusBytes("RssAnon", "RssShmem");
            assertTrue(anon.isPresent() && anon.getAsLong() > 0, "RssAnon + RssShmem: " + anon);
            assertTrue(ProcessMemory.statusBytes("NoSuchField").isEmpty());
        }
    }
}
