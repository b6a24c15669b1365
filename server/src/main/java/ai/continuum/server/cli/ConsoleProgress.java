package ai.continuum.server.cli;

import ai.continuum.server.logging.Terminal;
import ai.continuum.server.transfer.TransferProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on standard error: a bar redrawn in place on a terminal; on anything else (a log, a pipe, CI), a plain
 * line at most every {@value #LINE_INTERVAL_MS} ms, so logs stay readable.
 */
final class ConsoleProgress implements TransferProgress {
    private static final long REDRAW_INTERVAL_MS = 100;
    private static final long LINE_INTERVAL_MS = 5_000;
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private String phase = "";
    private long total = -1;
    private long done;
    private long startedMs;
    private long shownMs;
    private long shownDone = -1;

    private ConsoleProgress(final PrintStream out, final boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Progress for this process: a bar when standard error is a terminal, lines otherwise; none when quiet. */
    static TransferProgress forConsole(final boolean quiet) {
        return quiet ? TransferProgress.NONE : new ConsoleProgress(System.err, Terminal.attached());
    }

    @Override
    public void phase(final String name, final long total) {
        this.phase = name;
        this.total = total;
        this.done = 0;
        this.startedMs = System.currentTimeMillis();
        this.shownMs = terminal ? 0 : startedMs;
        this.shownDone = -1;
    }

    @Override
    public void advance(final long done) {
        this.done = done;
        final long now = System.currentTimeMillis();
        if (now - shownMs >= (terminal ? REDRAW_INTERVAL_MS : LINE_INTERVAL_MS)) {
            shownMs = now;
            show(false);
        }
    }

    @Override
    public void finish() {
        if (total > 0) {
            done = total;
        }
        if (done != shownDone || terminal) {
            show(true);
        }
    }

    private void show(final boolean last) {
        shownDone = done;
        final double seconds = Math.max(0.001, (System.currentTimeMillis() - startedMs) / 1000.0);
        final String amount;
        if (total > 0) {
            final double fraction = Math.min(1.0, (double) done / total);
            final int filled = (int) Math.round(fraction * BAR_WIDTH);
            amount = (terminal ? "[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " : "")
                    + String.format(Locale.ROOT, "%5.1f%%", fraction * 100);
        } else {
            amount = String.format(Locale.ROOT, "%,d items (%,.0f/s)", done, done / seconds);
        }
        final String line = String.format(Locale.ROOT, "%s %s %.1fs", phase, amount, seconds);
        if (terminal) {
            out.print("\r" + line + (last ? System.lineSeparator() : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }
}
