package ai.continuum.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives every test class, and every test in it, the java.util.logging configuration it started with. The tests of a
 * module share one JVM, and a command line run in-process ({@code ContinuumCli.run}, through {@code LogSetup.apply})
 * resets logging: the root logger at WARNING drops every INFO record later tests wait for (access-log lines, a 429's
 * count), and its one handler writes to the standard error the run had captured. Registered for all tests through
 * {@code META-INF/services} (autodetection is on in {@code junit-platform.properties}).
 */
public final class LoggingStateExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LoggingStateExtension.class);

    @Override
    public void beforeAll(final ExtensionContext context) {
        save(context);
    }

    @Override
    public void afterAll(final ExtensionContext context) {
        restore(context);
    }

    @Override
    public void beforeEach(final ExtensionContext context) {
        save(context);
    }

    @Override
    public void afterEach(final ExtensionContext context) {
        restore(context);
    }

    // Each context (class, method) has a store of its own, so the same key holds the class's and the test's state.
    private static void save(final ExtensionContext context) {
        context.getStore(NAMESPACE).put(Snapshot.class, Snapshot.take());
    }

    private static void restore(final ExtensionContext context) {
        final Snapshot saved = context.getStore(NAMESPACE).remove(Snapshot.class, Snapshot.class);
        if (saved != null) {
            saved.restore();
        }
    }

    /** The level of every named logger and the root logger's handlers. */
    record Snapshot(Map<String, Level> levels, List<Handler> rootHandlers) {
        static Snapshot take() {
            final LogManager manager = LogManager.getLogManager();
            final Map<String, Level> levels = new HashMap<>();
            for (final String name : Collections.list(manager.getLoggerNames())) {
                final Logger logger = manager.getLogger(name);
                if (logger != null) {
                    levels.put(name, logger.getLevel());
                }
            }
            return new Snapshot(levels, List.of(Logger.getLogger("").getHandlers()));
        }

        /**
         * Puts the saved levels back (a logger created since gets none of its own, as before it existed) and the root
         * logger's handlers. A handler a reset closed still works when added back: the console handler's close only
         * flushes, and what the root logger had before any reset is the console handler.
         */
        void restore() {
            final LogManager manager = LogManager.getLogManager();
            for (final String name : Collections.list(manager.getLoggerNames())) {
                final Logger logger = manager.getLogger(name);
                if (logger != null && !Objects.equals(logger.getLevel(), levels.get(name))) {
                    logger.setLevel(levels.get(name));
                }
            }
            final Logger root = Logger.getLogger("");
            final List<Handler> current = new ArrayList<>(List.of(root.getHandlers()));
            for (final Handler h : current) {
                if (!rootHandlers.contains(h)) {
                    root.removeHandler(h);
                    h.close();
                }
            }
            for (final Handler h : rootHandlers) {
                if (!current.contains(h)) {
                    root.addHandler(h);
                }
            }
        }
    }
}
