package ai.continuum.server.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryIdsTest {
    @Test
    void shouldIncreaseStrictlyWhenClockStandsStill() {
        final MemoryIds ids = new MemoryIds(() -> 1_000L);
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
        final MemoryIds ids = new MemoryIds(() -> year2100Millis);
        assertTrue(ids.next() < (1L << 53));
    }

    @Test
    void shouldFollowClockWhenItAdvances() {
        final long[] now = {1_000};
        final MemoryIds ids = new MemoryIds(() -> now[0]);
        final long early = ids.next();
        now[0] = 2_000;
        final long late = ids.next();
        assertTrue(late >= 2_000L * MemoryIds.RANDOM_SPAN && late > early);
    }
}
