package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
