package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.continuum.server.LogCapture;
import ai.continuum.server.logging.SuppressedAccessLines;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A request that marked its access line as suppressed (a throttled authentication failure) writes none: the mark
 * must act on the logger the access-log filter actually writes to, not on another one.
 */
class AccessLineSuppressionTest {
    @Test
    void shouldDropTheMarkedAccessLineAndKeepTheNext() {
        SuppressedAccessLines.install();
        final Logger access = Logger.getLogger(AccessLogFilter.LOGGER);
        try (LogCapture captured = LogCapture.of(AccessLogFilter.LOGGER)) {
            SuppressedAccessLines.suppressCurrent();
            access.info("throttled request");
            access.info("next request");
            assertEquals(
                    List.of("next request"), captured.messages(), "the marked line is dropped, the next one written");
        } finally {
            SuppressedAccessLines.reset();
        }
    }
}
