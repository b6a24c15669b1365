package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EngineConfigTest {
    @Test
    void shouldFollowTheSeedStrengthSequenceAndSaturateOnTheSeventhCooccurrence() {
        final EngineConfig config = EngineConfig.defaults();
        final double[] expected = {0.10, 0.25, 0.40, 0.55, 0.70, 0.85, 1.00, 1.00, 1.00};
        for (int count = 1; count <= expected.length; count++) {
            assertEquals(expected[count - 1], config.strength(count, 0), 1e-12, "count=" + count);
        }
    }

    @Test
    void shouldApplyLazyTimeDecayOnlyWhenConfigured() {
        assertEquals(1.0, EngineConfig.defaults().strength(7, 30), 1e-12);
        final EngineConfig decaying = EngineConfig.defaults().withDecayPerDay(0.5);
        assertEquals(0.25, decaying.strength(7, 2), 1e-12);
        assertTrue(decaying.timeDecayEnabled());
    }

    @Test
    void shouldNameTheFieldValueAndRangeWhenInvalid() {
        final IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new EngineConfig(1.5, 0.15, 0.1, 7, 2, 10, 10, 5, 20, 0.7, 25, 1.0, 20, 65536));
        assertEquals("resonanceDecay=1.5 must be in (0.0, 1.0]", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new EngineConfig(0.85, 0.15, 0.1, 7, 2, 10, 0, 5, 20, 0.7, 25, 1.0, 20, 65536));
        assertThrows(
                IllegalArgumentException.class,
                () -> new EngineConfig(0.85, Double.NaN, 0.1, 7, 2, 10, 10, 5, 20, 0.7, 25, 1.0, 20, 65536));
    }
}
