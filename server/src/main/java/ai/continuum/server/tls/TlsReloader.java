package ai.continuum.server.tls;

import ai.continuum.server.config.TlsSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Certificate rotation without a restart: every {@link TlsSettings#reloadSeconds()} the TLS files are fingerprinted,
 * and when they changed they are read and, if they make a whole, consistent set (see {@link ListenerTls#load}), handed
 * to {@code apply} (the web server's {@code reloadTls}). New handshakes then use the new certificate; open
 * connections keep theirs. A set that does not load (a rotation half written, a key that does not match) is logged
 * once and the one in use stays; it is tried again at every check until it loads. Polling, rather than a file watch,
 * also sees Kubernetes' secret volumes, which swap a symbolic link to a new directory instead of writing the files.
 *
 * <p>Thread-safe: the checks run on one daemon thread; {@link #checkNow()} may be called from any thread.
 */
public final class TlsReloader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TlsReloader.class.getName());

    private final TlsSettings settings;
    private final Consumer<ListenerTls> apply;
    private final Consumer<String> outcome;
    private final ScheduledExecutorService timer;
    /** The fingerprint of the set in use, and of the last set that failed (so its failure is logged once). */
    private String applied;

    private String failed;

    /**
     * @param current the set the listener started with.
     * @param apply   installs a new set in the listener.
     * @param outcome told "applied" or "failed" for each new set (a metric).
     */
    public TlsReloader(
            final TlsSettings settings,
            final ListenerTls current,
            final Consumer<ListenerTls> apply,
            final Consumer<String> outcome) {
        this.settings = settings;
        this.apply = apply;
        this.outcome = outcome;
        this.applied = current.fingerprint();
        if (settings.reloadSeconds() > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                final Thread t = new Thread(r, "continuum-tls-reload");
                t.setDaemon(true);
                return t;
            });
            final long period = Duration.ofSeconds(settings.reloadSeconds()).toMillis();
            // checkQuietly catches its own failures; the timer's shutdown stops it.
            final ScheduledFuture<?> unused =
                    timer.scheduleWithFixedDelay(this::checkQuietly, period, period, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** Checks the files now; returns whether a new set was applied. */
    public synchronized boolean checkNow() {
        final String now;
        try {
            now = ListenerTls.fingerprintOf(settings);
        } catch (final RuntimeException e) {
            report(null, e);
            return false;
        }
        if (now.equals(applied)) {
            return false;
        }
        final ListenerTls next;
        try {
            next = ListenerTls.load(settings);
            apply.accept(next);
        } catch (final RuntimeException e) {
            report(now, e);
            return false;
        }
        applied = next.fingerprint();
        failed = null;
        outcome.accept("applied");
        LOG.info(() -> "TLS certificate reloaded: " + next.describe());
        return true;
    }

    private void report(final String fingerprint, final RuntimeException e) {
        final String key = fingerprint == null ? "unreadable: " + e.getMessage() : fingerprint;
        if (Objects.equals(key, failed)) {
            return;
        }
        failed = key;
        outcome.accept("failed");
        LOG.warning("TLS files changed but cannot be used; the certificate in use stays (checked again in "
                + settings.reloadSeconds() + " s): " + e.getMessage());
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (final RuntimeException e) {
            LOG.log(Level.WARNING, "TLS reload check failed", e);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
