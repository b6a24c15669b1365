package ai.continuum.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.storage.InstanceLease;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemoryIdsTest {
    @Test
    void shouldIncreaseStrictlyWhenClockStandsStill() {
        final MemoryIds ids = new MemoryIds(() -> 1_000L, () -> 0);
        long previous = 0;
        for (int i = 0; i < 10_000; i++) {
            final long id = ids.next();
            assertTrue(id > previous, "id " + id + " after " + previous);
            previous = id;
        }
    }

    @Test
    void shouldStayBelowTwoToThe53UntilYear2100() {
        final long year2100Millis = 4_102_444_800_000L;
        final MemoryIds ids = new MemoryIds(() -> year2100Millis, () -> InstanceLease.SLOTS - 1);
        assertTrue(ids.next() < (1L << 53));
    }

    @Test
    void shouldFollowClockWhenItAdvances() {
        final long[] now = {1_000};
        final MemoryIds ids = new MemoryIds(() -> now[0], () -> 0);
        final long early = ids.next();
        now[0] = 2_000;
        final long late = ids.next();
        assertTrue(late >= 2_000L * MemoryIds.TICKS_PER_MILLI * InstanceLease.SLOTS && late > early);
    }

    /** Three processes allocating in the same milliseconds (also past 32 ids per ms) never hand out one id twice. */
    @Test
    void shouldNeverCollideBetweenInstancesOnTheSameClock() {
        final long[] now = {1_700_000_000_000L};
        final MemoryIds[] instances = {
            new MemoryIds(() -> now[0], () -> 0),
            new MemoryIds(() -> now[0], () -> 1),
            new MemoryIds(() -> now[0], () -> 2)
        };
        final Set<Long> seen = new HashSet<>();
        for (int ms = 0; ms < 100; ms++) {
            now[0]++;
            for (int i = 0; i < 50; i++) {
                for (final MemoryIds ids : instances) {
                    assertTrue(seen.add(ids.next()), "duplicate id");
                }
            }
        }
        assertEquals(15_000, seen.size());
    }
}
