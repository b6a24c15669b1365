package ai.continuum.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real client programs under {@code src/test/node} (the MCP TypeScript SDK, the OpenAPI client, Playwright)
 * with the machine's Node, installing their locked npm packages first when missing. Without Node or npm the calling
 * test is skipped with a loud message on a developer machine and fails in CI, where .ci/run installs them (see
 * {@link #skipOrFail}).
 */
public final class NodeClients {
    /** The npm project of the client programs (package.json, package-lock.json). */
    public static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();

    private static final long TIMEOUT_SECONDS = 300;

    private NodeClients() {}

    /**
     * Runs {@code node script} in {@link #DIR} with {@code env} added to the environment and fails the test, with
     * the program's output, unless it exits 0. Returns the output.
     */
    public static String run(final String script, final Map<String, String> env) {
        requireTool("node");
        installPackages();
        return exec(List.of("node", script), env, "node " + script);
    }

    /** The command line that runs the Continuum CLI in a fresh JVM with this test JVM's class path and flags. */
    public static List<String> cliCommand(final String... args) {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-")
                    || flag.startsWith("--enable-native-access")
                    || flag.startsWith("--sun-misc-unsafe")
                    || flag.startsWith("-Dchronicle")) {
                command.add(flag);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("ai.continuum.server.cli.ContinuumCli");
        command.addAll(List.of(args));
        return command;
    }

    private static void installPackages() {
        final Path installed = DIR.resolve("node_modules/.package-lock.json");
        try {
            if (Files.exists(installed)
                    && Files.getLastModifiedTime(installed)
                                    .compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json")))
                            >= 0) {
                return;
            }
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        requireTool("npm");
        exec(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), "npm ci");
    }

    private static void requireTool(final String tool) {
        final boolean found = Arrays.stream(
                        System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        if (found) {
            return;
        }
        skipOrFail(tool + " is not on the PATH: the real-client tests (MCP SDK, OpenAPI client, browser) cannot "
                + "run. Install Node 20.19+ and npm (.ci/run does).");
    }

    /**
     * Skips the calling test with a loud message because something it needs is missing from this machine, or fails
     * it where the clients are required: in CI ({@code CI=true}, or {@code CONTINUUM_TEST_REQUIRE_CLIENTS=true} as
     * .ci/run sets).
     */
    public static void skipOrFail(final String message) {
        if ("true".equals(System.getenv("CI")) || "true".equals(System.getenv("CONTINUUM_TEST_REQUIRE_CLIENTS"))) {
            fail(message);
        }
        System.err.println("*** SKIPPED: " + message + " ***");
        Assumptions.abort(message);
    }

    private static String exec(final List<String> command, final Map<String, String> env, final String label) {
        try {
            final Path log = Files.createTempFile("continuum-node", ".log");
            final ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            final Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail(label + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + Files.readString(log));
            }
            final String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            System.out.println(output);
            assertEquals(0, process.exitValue(), label + " failed:\n" + output);
            return output;
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
