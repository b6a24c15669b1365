package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.continuum.server.InfoLevelPin;
import ai.continuum.server.logging.SuppressedAccessLines;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
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
        final List<String> published = new ArrayList<>();
        final Handler capture = new Handler() {
            @Override
            public void publish(final LogRecord record) {
                published.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        access.addHandler(capture);
        try (InfoLevelPin info = InfoLevelPin.pin(access)) {
            SuppressedAccessLines.suppressCurrent();
            access.info("throttled request");
            access.info("next request");
            assertEquals(List.of("next request"), published, "the marked line is dropped, the next one written");
        } finally {
            access.removeHandler(capture);
            SuppressedAccessLines.reset();
        }
    }
}
