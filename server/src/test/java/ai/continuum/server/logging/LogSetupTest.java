package ai.continuum.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogSetupTest {
    @Test
    void shouldWriteOneJsonObjectPerLineWithErrorWhenThrown() throws Exception {
        final LogRecord record = new LogRecord(Level.WARNING, "queue \"full\"\nretrying");
        record.setLoggerName("continuum.test");
        record.setThrown(new IllegalStateException("boom"));
        final String line = new LogSetup.JsonFormatter().format(record);
        assertTrue(line.endsWith("\n"));
        assertEquals(1, line.strip().lines().count(), "newlines inside the message are escaped");
        final JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("WARN", json.get("level").asText());
        assertEquals("continuum.test", json.get("logger").asText());
        assertEquals("queue \"full\"\nretrying", json.get("message").asText());
        assertTrue(json.get("error").asText().contains("IllegalStateException: boom"));
    }

    @Test
    void shouldMapConfiguredLevelsToJulLevels() {
        assertEquals(Level.SEVERE, LogSetup.julLevel("error"));
        assertEquals(Level.WARNING, LogSetup.julLevel("warn"));
        assertEquals(Level.INFO, LogSetup.julLevel("info"));
        assertEquals(Level.FINE, LogSetup.julLevel("debug"));
        assertEquals(Level.FINEST, LogSetup.julLevel("trace"));
    }

    @Test
    void shouldStartTextLineWithInstantAndLevel() {
        final LogRecord record = new LogRecord(Level.INFO, "hello");
        record.setLoggerName("x");
        record.setMillis(0);
        assertEquals("1970-01-01T00:00:00Z INFO  x - hello\n", new LogSetup.TextFormatter().format(record));
    }

    @Test
    void shouldLogAThreadEndedByAnUncaughtExceptionAsOneJsonErrorLine() throws Exception {
        final PrintStream original = System.err;
        final Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogSetup.apply("json", "info");
            final Thread dying = new Thread(
                    () -> {
                        throw new IllegalStateException("a defect");
                    },
                    "continuum-test-loop");
            dying.start();
            dying.join();
        } finally {
            System.setErr(original);
            Thread.setDefaultUncaughtExceptionHandler(before);
            LogSetup.apply("text", "warn");
        }
        final String out = captured.toString(StandardCharsets.UTF_8);
        final JsonNode json = new ObjectMapper()
                .readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals("ERROR", json.get("level").asText(), out);
        assertTrue(json.get("message").asText().contains("continuum-test-loop"), out);
        assertTrue(json.get("error").asText().contains("IllegalStateException: a defect"), out);
        assertTrue(out.strip().lines().allMatch(line -> line.startsWith("{")), "only JSON lines: " + out);
    }

    @Test
    void shouldStillLogAfterASecondApply() {
        final PrintStream original = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogSetup.apply("text", "warn");
            LogSetup.apply("text", "info");
            Logger.getLogger("continuum.test.reapply").info("still here");
        } finally {
            System.setErr(original);
            LogSetup.apply("text", "warn");
        }
        assertTrue(
                captured.toString(StandardCharsets.UTF_8).contains("continuum.test.reapply - still here"),
                "the first apply's reset must not close standard error: " + captured);
    }
}
