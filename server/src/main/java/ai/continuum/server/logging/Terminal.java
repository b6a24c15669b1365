package ai.continuum.server.logging;

import java.io.Console;

/**
 * Whether the process talks to a terminal: where a secret may be shown (a terminal is read by a person, not kept as
 * logs) and a progress bar may be redrawn in place.
 */
public final class Terminal {
    private Terminal() {}

    /**
     * Before Java 22 a console exists only on a terminal; from 22 on one exists even when redirected, and
     * {@code Console.isTerminal()} (called reflectively: the build targets 21) tells. The null check is for Java 21,
     * where it still means "not a terminal".
     */
    @SuppressWarnings("SystemConsoleNull") // handled: null on 21, isTerminal() on 22+
    public static boolean attached() {
        final Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (final ReflectiveOperationException e) {
            return true;
        }
    }
}
