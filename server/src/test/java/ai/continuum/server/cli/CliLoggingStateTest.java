package ai.continuum.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A command line run in the test JVM leaves the logging of later tests as it found it: a run applies its own level
 * (WARNING unless {@code --verbose}) and a handler on the standard error it was given, which would otherwise drop the
 * INFO records later tests wait for and send the rest to a captured stream nobody reads.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliLoggingStateTest {
    private static Level rootLevel;
    private static List<Handler> rootHandlers;

    @BeforeAll
    static void recordTheStateBeforeAnyRun() {
        final Logger root = Logger.getLogger("");
        rootLevel = root.getLevel();
        rootHandlers = List.of(root.getHandlers());
    }

    @Test
    @Order(1)
    void shouldRunACommandThatSetsItsOwnLogLevel() {
        final CliRun run = CliRun.of("learn", "--help");
        assertEquals(0, run.code(), run.all());
        assertEquals(Level.WARNING, Logger.getLogger("").getLevel(), "the run applied its level while it ran");
    }

    @Test
    @Order(2)
    void shouldFindTheLoggingAsBeforeTheRunInTheNextTest() {
        final Logger root = Logger.getLogger("");
        assertEquals(rootLevel, root.getLevel(), "the root logger's level after a command line run in-process");
        assertTrue(
                Logger.getLogger("continuum.test.after-cli").isLoggable(Level.INFO),
                "INFO records (such as the access log's lines) pass again");
        final Handler[] handlers = root.getHandlers();
        assertEquals(rootHandlers.size(), handlers.length, "the root logger's handlers");
        for (int i = 0; i < handlers.length; i++) {
            assertSame(rootHandlers.get(i), handlers[i], "the root logger's handler " + i);
        }
    }
}
