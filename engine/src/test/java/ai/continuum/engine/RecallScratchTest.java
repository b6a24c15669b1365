package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecallScratchTest {
    private final RecallScratch scratch = new RecallScratch(10, null, null, null);

    @Test
    void shouldQueueAConceptRaisedTwiceInOneHopOnce() {
        scratch.reset();
        final int alpha = scratch.activate(7, 0.1, 1, false);
        final int bravo = scratch.activate(9, 0.5, 1, false);
        scratch.pushNext(alpha, 1);
        scratch.pushNext(bravo, 1);
        assertEquals(alpha, scratch.activate(7, 0.4, 1, false), "raised again in the same hop");
        scratch.pushNext(alpha, 1);
        scratch.advance();
        assertArrayEquals(new int[] {alpha, bravo}, Arrays.copyOf(scratch.frontier, scratch.frontierSize));
        assertEquals(0.4, scratch.activation[alpha], 0.0, "expanded with the activation it has when it is read");
    }

    @Test
    void shouldQueueAConceptAgainInALaterHop() {
        scratch.reset();
        final int alpha = scratch.activate(7, 0.1, 1, false);
        scratch.pushNext(alpha, 1);
        scratch.advance();
        assertEquals(alpha, scratch.activate(7, 0.3, 2, false));
        scratch.pushNext(alpha, 2);
        scratch.advance();
        assertArrayEquals(new int[] {alpha}, Arrays.copyOf(scratch.frontier, scratch.frontierSize));
    }

    @Test
    void shouldNotReportAnActivationThatIsNoHigher() {
        scratch.reset();
        scratch.activate(7, 0.5, 1, false);
        assertEquals(RecallScratch.MISSING, scratch.activate(7, 0.5, 2, false));
        assertEquals(RecallScratch.MISSING, scratch.activate(7, 0.2, 2, false));
    }

    @Test
    void shouldForgetWhatWasQueuedWhenReusedAfterGrowing() {
        scratch.reset();
        for (int id = 0; id < 600; id++) { // past the first arrays' 256 slots
            scratch.pushNext(scratch.activate(id, 0.5, 1, false), 1);
        }
        scratch.advance();
        assertEquals(600, scratch.frontierSize);
        scratch.reset();
        final int slot = scratch.activate(599, 0.5, 1, false);
        scratch.pushNext(slot, 1);
        scratch.advance();
        assertArrayEquals(new int[] {slot}, Arrays.copyOf(scratch.frontier, scratch.frontierSize));
    }

    @Test
    void shouldListEachMemoryTouchedSinceTheLastRankingOnce() {
        scratch.reset();
        final int a = scratch.addMemoryScore(100, 1.0, 0);
        final int b = scratch.addMemoryScore(101, 0.5, 0);
        assertEquals(0, scratch.touchedCount, "no ranking kept yet: nothing to track");
        scratch.keepLeaders(new int[] {a, b}, 2);
        assertEquals(b, scratch.addMemoryScore(101, 0, 0.2));
        scratch.addMemoryScore(101, 0, 0.1);
        final int c = scratch.addMemoryScore(102, 0, 0.3);
        assertArrayEquals(new int[] {b, c}, Arrays.copyOf(scratch.touched, scratch.touchedCount));
        assertTrue(scratch.touchedSinceRanking(b));
        assertFalse(scratch.touchedSinceRanking(a));
        scratch.keepLeaders(new int[] {a, b, c}, 3);
        assertEquals(0, scratch.touchedCount, "a ranking starts a new epoch");
        assertFalse(scratch.touchedSinceRanking(b));
        scratch.forgetLeaders();
        scratch.addMemoryScore(100, 1.0, 0);
        assertEquals(0, scratch.touchedCount, "after a change to every slot the next ranking scans them all");
    }

    @Test
    void shouldNotTakeASlotOfAnEarlierRecallForTouched() {
        scratch.reset();
        scratch.addMemoryScore(100, 1.0, 0);
        scratch.keepLeaders(new int[] {0}, 1);
        final int touched = scratch.addMemoryScore(200, 1.0, 0); // marked in this epoch
        scratch.reset();
        scratch.addMemoryScore(300, 1.0, 0);
        scratch.keepLeaders(new int[] {0}, 1);
        // the epoch moved on, but the slot's new memory must be listed whatever the slot held before
        assertEquals(touched, scratch.addMemoryScore(400, 0, 0.5));
        assertArrayEquals(new int[] {touched}, Arrays.copyOf(scratch.touched, scratch.touchedCount));
    }

    @Test
    void shouldTrackTouchesPastTheFirstArrays() {
        scratch.reset();
        scratch.addMemoryScore(0, 1.0, 0);
        scratch.keepLeaders(new int[] {0}, 1);
        for (int m = 1; m <= 600; m++) {
            scratch.addMemoryScore(m, 0, 0.1);
        }
        assertEquals(600, scratch.touchedCount);
        assertTrue(scratch.touchedSinceRanking(600));
    }
}
