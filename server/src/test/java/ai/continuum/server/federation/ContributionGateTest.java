package ai.continuum.server.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ContributionGateTest {
    @Test
    void theFirstTenPullsAreFreeThenTheRatioMustReachOneTenth() {
        assertTrue(ContributionGate.decide(0, 9).allowed());
        final ContributionGate.Decision denied = ContributionGate.decide(0, 10);
        assertFalse(denied.allowed());
        assertEquals("blocked", denied.tier());
        assertEquals(1.0, denied.deficit(), 1e-9);
        assertEquals(0.0, denied.ratio());
        assertTrue(ContributionGate.decide(1, 10).allowed());
        assertEquals(0.5, ContributionGate.decide(2, 25).deficit(), 1e-9);
        assertTrue(ContributionGate.decide(5, 25).allowed());
    }

    @Test
    void tiersFollowTheRatio() {
        assertEquals("blocked", ContributionGate.tier(0.05));
        assertEquals("basic", ContributionGate.tier(0.1));
        assertEquals("intermediate", ContributionGate.tier(0.5));
        assertEquals("advanced", ContributionGate.tier(1.0));
        assertEquals("contributor", ContributionGate.tier(2.0));
    }

    @Test
    void hourlyLimitsArePerNodeAndRoll() {
        final AtomicLong now = new AtomicLong();
        final HourlyLimits limits = new HourlyLimits(Map.of(HourlyLimits.Kind.SYNC, 2), now::get);
        assertEquals(0, limits.acquire("a", HourlyLimits.Kind.SYNC));
        assertEquals(0, limits.acquire("a", HourlyLimits.Kind.SYNC));
        assertTrue(limits.acquire("a", HourlyLimits.Kind.SYNC) > 0);
        assertEquals(0, limits.acquire("b", HourlyLimits.Kind.SYNC), "another node has its own window");
        assertEquals(0, limits.acquire("a", HourlyLimits.Kind.REQUEST), "an unconfigured kind is unlimited");
        now.addAndGet(3_600_000_000_001L);
        assertEquals(0, limits.acquire("a", HourlyLimits.Kind.SYNC));
    }
}
