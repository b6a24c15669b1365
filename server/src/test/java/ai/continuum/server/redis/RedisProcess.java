package ai.continuum.server.redis;

import ai.continuum.server.FreePorts;
import ai.continuum.server.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} that one test owns, on a free loopback port it keeps across {@link #stop}/{@link #start}, so
 * clients find it again at the same address; never the shared Redis other tests use. Optionally with a password and
 * TLS only ({@code --port 0 --tls-port}, a certificate from {@link TestPki#serverFiles}). {@link #pause} stops the process
 * (SIGSTOP) with its connections open: a Redis that accepts and never answers.
 *
 * <p>Where {@code redis-server} is missing the calling test is skipped, loudly, except in CI ({@code CI} or
 * {@code CONTINUUM_TEST_REQUIRE_REDIS} set), where it fails. Not thread-safe: the test's thread drives it.
 */
public final class RedisProcess implements AutoCloseable {
    /** Ports tried for a new server: one found free can be bound by another process before redis-server binds it. */
    private static final int PORT_ATTEMPTS = 5;

    private final Path dir;
    private final int port;
    private final String password;
    private final TestPki.ServerFiles tls;
    private Process process;

    private RedisProcess(final Path dir, final int port, final String password, final TestPki.ServerFiles tls) {
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.tls = tls;
    }

    /** A plain Redis without a password, started. */
    public static RedisProcess start(final Path dir) {
        return start(dir, null, null);
    }

    /** A Redis with {@code password} (null: none) and, when {@code tls} is given, TLS only; started. */
    public static RedisProcess start(final Path dir, final String password, final TestPki.ServerFiles tls) {
        requireBinary();
        for (int attempt = 1; ; attempt++) {
            final RedisProcess redis = new RedisProcess(dir, FreePorts.loopback(), password, tls);
            try {
                redis.start();
                return redis;
            } catch (final PortTaken e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** redis-server could not bind its port: something else took it after it was found free. */
    private static final class PortTaken extends IllegalStateException {
        PortTaken(final String message) {
            super(message);
        }
    }

    private static void requireBinary() {
        final boolean present = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").stream()
                .anyMatch(p -> Files.isExecutable(Path.of(p)));
        if (!present) {
            final String why = "redis-server is not installed (Debian: apt-get install redis-server)";
            if (System.getenv("CI") != null || System.getenv("CONTINUUM_TEST_REQUIRE_REDIS") != null) {
                throw new IllegalStateException("Redis tests may not be skipped here: " + why);
            }
            System.err.println("*** SKIPPING Redis tests: " + why + " ***");
            Assumptions.abort(why);
        }
    }

    /**
     * Starts the server (again) on its port; returns once this process says it is ready and the port accepts, so a
     * client never reaches another listener that took the port.
     */
    public void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is already running");
        }
        final List<String> command = new ArrayList<>(List.of(
                "redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        if (tls == null) {
            command.addAll(List.of("--port", Integer.toString(port)));
        } else {
            command.addAll(List.of(
                    "--port",
                    "0",
                    "--tls-port",
                    Integer.toString(port),
                    "--tls-cert-file",
                    tls.certificate().toString(),
                    "--tls-key-file",
                    tls.key().toString(),
                    "--tls-ca-cert-file",
                    tls.ca().toString(),
                    "--tls-auth-clients",
                    "no"));
        }
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        final long logStart;
        try {
            Files.createDirectories(dir);
            final Path logFile = dir.resolve("redis.log");
            logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("redis.log").toFile()))
                    .start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start redis-server", e);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(log(logStart).contains("Ready to accept connections") && accepts())) {
            if (!process.isAlive() && log(logStart).contains("Address already in use")) {
                process = null;
                throw new PortTaken("port " + port + " was taken before redis-server bound it; log:\n" + log());
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start on port " + port + "; log:\n" + log());
            }
            sleep(20);
        }
    }

    /** What this run wrote to the log, which earlier runs on the same directory also appended to. */
    private String log(final long from) {
        try {
            final byte[] all = Files.readAllBytes(dir.resolve("redis.log"));
            final int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return "";
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    /** Stops the server (SIGKILL: as abrupt as a crash or a lost network) and waits until the port is closed. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** SIGSTOP: connections stay open and nothing is answered. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(final String name) {
        try {
            final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://} or {@code rediss://}, with the password when one is set. */
    public String url() {
        return (tls == null ? "redis://" : "rediss://") + (password == null ? "" : ":" + password + "@") + "127.0.0.1:"
                + port;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (final IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && !process.isAlive()) {
            process = null;
        }
        if (process != null) {
            resume();
        }
        stop();
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
