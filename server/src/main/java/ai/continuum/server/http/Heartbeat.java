package ai.continuum.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * The server's heartbeat file, which the container image's health check reads ({@code continuum healthcheck} in
 * server/src/main/jib/usr/local/bin/continuum) so that the check starts no JVM.
 *
 * <p>Why a file: a {@code docker exec}'d {@code continuum health} is a second JVM in the server's cgroup. At the seed's
 * minimum of 256 MiB the server alone uses 220-235 MiB after the quick-start workload, and the pair went over the
 * limit, so the health check itself stopped the container. A shell probe without a JVM cannot speak TLS with what
 * every base image ships (bash's {@code /dev/tcp} is plain TCP; the Temurin images have no curl, the test base no
 * openssl), so the server does the HTTP part itself and the shell only reads the result.
 *
 * <p>What it proves: every period one daemon thread sends {@code GET /v1/ready} to the server's own listener, through
 * the same socket, HTTP stack and (when on) TLS handshake a client goes through, and accepts over TLS only the
 * certificate the listener is meant to serve. Only a 200 refreshes the file to {@code ready <epoch seconds>}; any
 * other answer writes {@code unready <epoch seconds> <why>}. A stuck listener, a hung JVM or a dead thread leave the
 * file to age, which the check reads as unhealthy. Each write goes to a temporary file beside it and is moved into
 * place, so the reader never sees half a line. {@link #close()} removes the file.
 *
 * <p>The requests carry the user agent {@value #USER_AGENT}; like the kubelet's probes they appear in the access log
 * and the request metrics (one every {@link #PERIOD}).
 */
public final class Heartbeat implements AutoCloseable {
    /** How often the listener is asked; the health check allows several periods of silence before it fails. */
    public static final Duration PERIOD = Duration.ofSeconds(10);

    static final String USER_AGENT = "continuum-heartbeat";
    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());
    private static final int TIMEOUT_MS = 5_000;

    private final Path file;
    private final URI ready;
    private final SSLContext tls;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    /** Touched only by the heartbeat thread. */
    private String lastProblem = "";

    /**
     * @param file  the heartbeat file (its directory must exist and be writable).
     * @param ready the listener's {@code /v1/ready}, on an address of this host.
     * @param tls   the client context for an https {@code ready}, or null for http.
     */
    Heartbeat(final Path file, final URI ready, final SSLContext tls, final Clock clock) {
        this.file = file.toAbsolutePath();
        this.ready = ready;
        this.tls = tls;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "continuum-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts beating at once and then every {@link #PERIOD}. */
    public static Heartbeat start(final Path file, final URI ready, final SSLContext tls) {
        final Heartbeat heartbeat = new Heartbeat(file, ready, tls, Clock.systemUTC());
        // Failures are handled inside each beat; the future only ends with close().
        final ScheduledFuture<?> unused = heartbeat.timer.scheduleWithFixedDelay(
                heartbeat::beatQuietly, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(() -> "heartbeat: " + ready + " every " + PERIOD.toSeconds() + " s into " + heartbeat.file);
        return heartbeat;
    }

    /** Asks the listener once and writes the outcome; returns the line written. */
    String beat() throws IOException {
        String line;
        try {
            final int status = ask();
            final long now = clock.instant().getEpochSecond();
            line = status == 200 ? "ready " + now : "unready " + now + " /v1/ready answered " + status;
        } catch (final IOException e) {
            line = "unready " + clock.instant().getEpochSecond() + " " + oneLine(e.toString());
        }
        write(line + "\n");
        return line;
    }

    private int ask() throws IOException {
        final HttpURLConnection connection = (HttpURLConnection) ready.toURL().openConnection();
        try {
            if (connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls.getSocketFactory());
                // The certificate names the service, not this address; the context accepts only the server's own.
                https.setHostnameVerifier((host, session) -> true);
            }
            connection.setConnectTimeout(TIMEOUT_MS);
            connection.setReadTimeout(TIMEOUT_MS);
            connection.setRequestProperty("User-Agent", USER_AGENT);
            final int status = connection.getResponseCode();
            // Read to the end so the connection can be kept for the next beat.
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (body != null) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
            }
            return status;
        } catch (final IOException e) {
            connection.disconnect();
            throw e;
        }
    }

    private void write(final String content) throws IOException {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void beatQuietly() {
        String problem;
        try {
            final String line = beat();
            // "unready <epoch> <why>": the why.
            problem = line.startsWith("ready ") ? "" : line.split(" ", 3)[2];
        } catch (final IOException | RuntimeException e) {
            // The file then ages and the health check reports it; the thread keeps trying.
            problem = "cannot write " + file + ": " + oneLine(e.toString());
        }
        // Logged when it changes, not every period.
        if (!problem.equals(lastProblem)) {
            if (problem.isEmpty()) {
                LOG.info("heartbeat: the listener answers ready");
            } else {
                LOG.warning("heartbeat: " + problem);
            }
            lastProblem = problem;
        }
    }

    private static String oneLine(final String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    /** Stops beating and removes the file: a stopped server has no heartbeat. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(file);
        } catch (final IOException e) {
            LOG.warning("heartbeat: cannot remove " + file + ": " + e);
        }
    }
}
