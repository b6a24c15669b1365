package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.http.FilterChain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The turn is taken after the whole chain, on virtual threads only, whether the chain answered or threw, and only
 * while other requests hold the other carriers. Concurrent requests are modelled by serving one inside another's
 * chain: the outer one is then in flight while the inner one finishes.
 */
class TurnTakingFilterTest {
    private final List<String> events = new ArrayList<>();

    @Test
    void aRequestFinishingWhileAnotherHoldsTheOtherCarrierTakesItsTurnAfterItsAnswer() {
        final TurnTakingFilter filter = filter(2, true);
        filter.filter(
                chain(() -> {
                    events.add("outer answer");
                    filter.filter(chain(() -> events.add("inner answer")), null, null);
                }),
                null,
                null);
        assertEquals(List.of("outer answer", "inner answer", "turn"), events, "the outer one finished alone: no turn");
    }

    @Test
    void oneClientAloneNeverTakesATurn() {
        final TurnTakingFilter filter = filter(2, true);
        for (int i = 0; i < 3; i++) {
            filter.filter(chain(() -> events.add("answer")), null, null);
        }
        assertEquals(List.of("answer", "answer", "answer"), events);
    }

    @Test
    void withThreeCarriersTwoOtherRequestsMustBeInFlight() {
        final TurnTakingFilter filter = filter(3, true);
        filter.filter(
                chain(() -> filter.filter(
                        chain(() -> {
                            filter.filter(chain(() -> events.add("third")), null, null);
                            events.add("second");
                        }),
                        null,
                        null)),
                null,
                null);
        assertEquals(List.of("third", "turn", "second"), events);
    }

    @Test
    void onOneCarrierEveryRequestTakesATurn() {
        final TurnTakingFilter filter = filter(1, true);
        filter.filter(chain(() -> events.add("answer")), null, null);
        assertEquals(List.of("answer", "turn"), events);
    }

    @Test
    void aFailingChainStillTakesItsTurnAndItsFailureGoesOnAndTheCountRecovers() {
        final TurnTakingFilter filter = filter(1, true);
        final IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> filter.filter(
                        chain(() -> {
                            events.add("answer");
                            throw new IllegalStateException("handler failed");
                        }),
                        null,
                        null));
        assertEquals("handler failed", thrown.getMessage());
        assertEquals(List.of("answer", "turn"), events);

        events.clear();
        final TurnTakingFilter two = filter(2, true);
        assertThrows(
                IllegalStateException.class,
                () -> two.filter(
                        chain(() -> {
                            throw new IllegalStateException("handler failed");
                        }),
                        null,
                        null));
        two.filter(chain(() -> events.add("answer")), null, null);
        assertEquals(List.of("answer"), events, "the failed request no longer counts as in flight");
    }

    @Test
    void aPlatformThreadTakesNoTurn() {
        filter(1, false).filter(chain(() -> events.add("answer")), null, null);
        assertEquals(List.of("answer"), events);
    }

    @Test
    void carriersBelowOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> filter(0, true));
    }

    @Test
    void theDefaultFilterAnswersOnVirtualAndPlatformThreads() throws Exception {
        final TurnTakingFilter filter = new TurnTakingFilter();
        final AtomicBoolean answeredOnVirtual = new AtomicBoolean();
        final Thread virtual = Thread.ofVirtual()
                .start(() -> filter.filter(
                        chain(() -> answeredOnVirtual.set(Thread.currentThread().isVirtual())), null, null));
        virtual.join();
        assertTrue(answeredOnVirtual.get(), "the chain ran on the virtual thread");
        filter.filter(chain(() -> events.add("answer")), null, null);
        assertEquals(List.of("answer"), events);
    }

    private TurnTakingFilter filter(final int carriers, final boolean virtual) {
        return new TurnTakingFilter(carriers, () -> virtual, () -> events.add("turn"));
    }

    private static FilterChain chain(final Runnable answer) {
        return answer::run;
    }
}
