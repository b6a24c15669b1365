package ai.continuum.server.e2e;

import ai.continuum.server.TestClient;
import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real service in a child JVM: {@code ContinuumCli serve --port 0 --data-dir DIR} with the launcher's JVM flags,
 * the test class path and a known admin key. {@link #start} returns once the child printed its listening line, which
 * it prints only after the engine was rebuilt from SQL. Stderr (the log) goes to the given file, stdout to the same
 * name with {@code .stdout} appended, so both survive the test's temporary directories when the log lies elsewhere.
 */
final class ServerProcess implements AutoCloseable {
    static final String ADMIN_KEY = "e2e-admin-key-0123456789abcdef";
    /** The line a service ({@code Continuum listening on ...}) or a coordinator prints once it listens. */
    private static final Pattern LISTENING = Pattern.compile("listening on https?://[^:\\s]+:(\\d+)");
    /** Generous: a start takes 5-10 s, but over 40 s was seen on a runner shared by many builds. */
    static final Duration START_DEADLINE = Duration.ofSeconds(90);

    private static final Duration POLL_PAUSE = Duration.ofMillis(50);

    private final Process process;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestClient client;
    private final Path log;

    private ServerProcess(final Process process, final String host, final int port, final Path log) {
        this.process = process;
        this.client = new TestClient(URI.create("http://" + host + ":" + port));
        this.log = log;
    }

    /** Starts the service on a free loopback port over {@code dataDir}, logging to {@code log}. */
    static ServerProcess start(final Path dataDir, final Path log) {
        return start(dataDir, log, Map.of());
    }

    /** As {@link #start(Path, Path)}, with {@code env} set last (e.g. the PostgreSQL backend and its URL). */
    static ServerProcess start(final Path dataDir, final Path log, final Map<String, String> extraEnv) {
        return start(dataDir, log, extraEnv, 0);
    }

    /**
     * As {@link #start(Path, Path, Map)}, under a file-descriptor limit of {@code fdLimit} ({@code ulimit -n} in a
     * shell that then execs the JVM; 0 keeps the inherited limit).
     */
    static ServerProcess start(
            final Path dataDir, final Path log, final Map<String, String> extraEnv, final int fdLimit) {
        final List<String> prefix =
                fdLimit > 0 ? List.of("bash", "-c", "ulimit -n " + fdLimit + " && exec \"$@\"", "bash") : List.of();
        return serve(prefix, "127.0.0.1", dataDir, log, extraEnv);
    }

    /**
     * {@code serve} on {@code host} (port 0) over {@code dataDir}, its command run behind {@code prefix} (e.g.
     * {@code ip netns exec NS}, so that it runs in another network namespace).
     */
    static ServerProcess serve(
            final List<String> prefix,
            final String host,
            final Path dataDir,
            final Path log,
            final Map<String, String> extraEnv) {
        return launch(
                prefix,
                host,
                List.of("serve", "--host", host, "--port", "0", "--data-dir", dataDir.toString()),
                log,
                extraEnv);
    }

    /**
     * Any command of the CLI ({@code arguments}, e.g. {@code federation coordinator ...}) behind {@code prefix}, with
     * the service's environment and {@code extraEnv} last; returns once it printed that it listens. {@link #uri} is
     * then plain HTTP on {@code host}.
     */
    static ServerProcess launch(
            final List<String> prefix,
            final String host,
            final List<String> arguments,
            final Path log,
            final Map<String, String> extraEnv) {
        return launch(prefix, host, arguments, log, extraEnv, START_DEADLINE);
    }

    /**
     * As {@link #launch(List, String, List, Path, Map)}, waiting up to {@code startDeadline} for the listening line.
     * A process still alive past it has its threads dumped into its log ({@code jcmd Thread.print}) before it is
     * killed, so a hang can be told from a slow start afterwards.
     */
    static ServerProcess launch(
            final List<String> prefix,
            final String host,
            final List<String> arguments,
            final Path log,
            final Map<String, String> extraEnv,
            final Duration startDeadline) {
        final List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(Path.of("target", "classes").toAbsolutePath()
                + java.io.File.pathSeparator
                + System.getProperty("java.class.path"));
        command.add("ai.continuum.server.cli.ContinuumCli");
        command.addAll(arguments);
        final ProcessBuilder builder =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        final Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("CONTINUUM_") || name.equals("DATABASE_URL"));
        env.put("CONTINUUM_ADMIN_KEY", ADMIN_KEY);
        env.put("CONTINUUM_RATE_LIMIT", "0");
        env.put("CONTINUUM_AUTH_FAILURES_PER_MINUTE", "0");
        env.put("CONTINUUM_STORAGE_BACKEND", "sqlite");
        env.putAll(extraEnv);
        final Process process;
        try {
            process = builder.start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + arguments.getFirst(), e);
        }
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final Path stdout = stdoutOf(log);
        Thread.ofPlatform().daemon().name("serve-stdout-" + process.pid()).start(() -> drain(process, port, stdout));
        try {
            return new ServerProcess(process, host, port.get(startDeadline.toMillis(), TimeUnit.MILLISECONDS), log);
        } catch (final InterruptedException | ExecutionException | TimeoutException e) {
            final boolean alive = process.isAlive();
            if (alive) {
                dumpThreads(process.pid(), log);
            }
            process.destroyForcibly();
            throw new IllegalStateException(
                    arguments.getFirst() + " did not start within " + startDeadline + " ("
                            + (alive ? "still running; its threads are dumped in the log" : "it exited") + "); log:\n"
                            + tail(log) + "\nstdout:\n" + tail(stdout),
                    e);
        }
    }

    /** Where the stdout of the process logging to {@code log} is kept. */
    static Path stdoutOf(final Path log) {
        return log.resolveSibling(log.getFileName() + ".stdout");
    }

    /** Appends a thread dump of process {@code pid} to {@code log}, waiting at most 30 s for it. */
    private static void dumpThreads(final long pid, final Path log) {
        try {
            final Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(pid),
                            "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
        } catch (final IOException e) {
            // The dump is a diagnostic only; the start's failure is reported either way.
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(final Process process, final CompletableFuture<Integer> port, final Path stdout) {
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                java.io.Writer copy = Files.newBufferedWriter(stdout, StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                copy.write(line);
                copy.write('\n');
                copy.flush();
                final Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (final IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("the service exited before listening"));
    }

    /** The flags the launcher passes (module opens, native access), as Maven filtered them into the classes. */
    private static List<String> jvmFlags() {
        try {
            final String flags = Files.readString(Path.of("target", "classes", "continuum-jvm.flags"))
                    .strip();
            return flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+"));
        } catch (final IOException e) {
            throw new UncheckedIOException("run the build first: target/classes/continuum-jvm.flags is missing", e);
        }
    }

    static String tail(final Path log) {
        try {
            final List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (final IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    int port() {
        return client.uri("").getPort();
    }

    /** The absolute URI of {@code path} on this server. */
    URI uri(final String path) {
        return client.uri(path);
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    Path log() {
        return log;
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook runs, the write queue is not drained.
     * Waits until the process is gone and returns its exit value.
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL");
        }
        return process.exitValue();
    }

    /** Sends SIGTERM ({@link Process#destroy()} on Linux) without waiting: the graceful shutdown starts. */
    void terminate() {
        process.destroy();
    }

    /** Waits up to {@code timeout} for the process to end; returns its exit value. */
    int awaitExit(final Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " still running after " + timeout);
        }
        return process.exitValue();
    }

    /** SIGTERM: the graceful path (the queue is committed before the process exits). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    TestServer.Reply get(final String path, final String key) throws IOException, InterruptedException {
        return client.get(path, key);
    }

    TestServer.Reply delete(final String path, final String key) throws IOException, InterruptedException {
        return client.delete(path, key);
    }

    TestServer.Reply post(final String path, final String key, final Map<String, ?> body)
            throws IOException, InterruptedException {
        return client.post(path, key, body);
    }

    /** A request to {@code path} on this server with {@code key} (null: none), to finish and {@link #send}. */
    HttpRequest.Builder builder(final String path, final String key) {
        return client.builder(path, key);
    }

    TestServer.Reply send(final HttpRequest request) throws IOException, InterruptedException {
        return client.send(request);
    }

    /** As {@link #post}, with an {@code Idempotency-Key} header. */
    TestServer.Reply post(final String path, final String key, final String idempotencyKey, final Map<String, ?> body)
            throws IOException, InterruptedException {
        return client.send(client.builder(path, key)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    }

    /**
     * Polls {@code GET /v1/ready} until it answers {@code status} or {@code deadline} passes. The state polled lives
     * in another process (the storage writer's probe), so no in-JVM signal exists to wait on.
     */
    boolean awaitReady(final int status, final Duration deadline) throws IOException, InterruptedException {
        final long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            if (get("/v1/ready", null).status() == status) {
                return true;
            }
            LockSupport.parkNanos(POLL_PAUSE.toNanos());
        }
        return false;
    }

    /** Polls {@code GET /v1/ready} until it reports writes accepted or {@code deadline} passes. */
    boolean awaitWrites(final Duration deadline) throws IOException, InterruptedException {
        final long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            final TestServer.Reply ready = get("/v1/ready", null);
            if (ready.status() == 200
                    && "accepted".equals(ready.json().path("writes").asText())) {
                return true;
            }
            LockSupport.parkNanos(POLL_PAUSE.toNanos());
        }
        return false;
    }

    /** Mints a key for {@code tenant} with the admin key. */
    String createKey(final String tenant) throws IOException, InterruptedException {
        return client.createKey(ADMIN_KEY, tenant, "e2e");
    }
}
