package ai.continuum.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestPki;
import ai.continuum.server.TestPki.Issued;
import ai.continuum.server.TestPki.Pem;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.tls.ProbeTls;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heartbeat a container health check reads without starting a JVM: a real server keeps the file, over plain HTTP
 * and over TLS, and the image's own {@code continuum healthcheck} (the launcher script, run with {@code sh}) passes on
 * it, and fails when the file is stale, says unready, or is gone because the server stopped.
 *
 * <p>Real socket: the heartbeat probes the server's own listener.
 */
class HeartbeatTest {
    /** The launcher the image puts on the PATH (server/src/main/jib). */
    private static final Path LAUNCHER =
            Path.of(System.getProperty("user.dir"), "src/main/jib/usr/local/bin/continuum");

    @TempDir
    Path dir;

    @Test
    void aPlainServerKeepsTheFileAndTheImageCheckFollowsIt() throws Exception {
        final Path file = dir.resolve("heartbeat");
        final Map<ConfigKey, String> overrides = new EnumMap<>(ConfigKey.class);
        overrides.put(ConfigKey.HEARTBEAT_FILE, file.toString());
        try (TestServer server = TestServer.start(dir.resolve("data"), overrides)) {
            awaitReady(file);
            final Check ok = healthcheck(file, Map.of());
            assertEquals(0, ok.code(), ok.output());
            assertTrue(ok.output().startsWith("ready "), ok.output());
            // Older than the allowed age: what a hung server leaves behind.
            final Check stale = healthcheck(file, Map.of("CONTINUUM_HEARTBEAT_MAX_AGE", "-1"));
            assertEquals(1, stale.code(), stale.output());
        }
        assertFalse(Files.exists(file), "a stopped server leaves no heartbeat");
        final Check gone = healthcheck(file, Map.of());
        assertEquals(1, gone.code(), gone.output());
    }

    @Test
    void overTlsOnlyTheServedCertificateCounts() throws Exception {
        final Issued ca = TestPki.ca("Heartbeat Test CA");
        final Issued served = TestPki.server(ca, "continuum-hb", List.of("continuum"));
        final Issued other = TestPki.server(ca, "someone-else", List.of("continuum"));
        final Pem pem = served.writePem(dir, "server");
        final Path file = dir.resolve("heartbeat");
        final Map<ConfigKey, String> overrides = new EnumMap<>(ConfigKey.class);
        overrides.put(ConfigKey.HEARTBEAT_FILE, file.toString());
        overrides.put(ConfigKey.TLS_CERTIFICATE, pem.certificate().toString());
        overrides.put(ConfigKey.TLS_PRIVATE_KEY, pem.key().toString());
        try (TestServer server = TestServer.start(dir.resolve("data"), overrides)) {
            // The certificate names "continuum", not 127.0.0.1: the heartbeat pins it instead of checking the name.
            awaitReady(file);
            assertEquals(0, healthcheck(file, Map.of()).code());
            final URI ready = URI.create("https://127.0.0.1:" + server.server().port() + "/v1/ready");
            final Path probe = dir.resolve("probe");
            try (Heartbeat right =
                    new Heartbeat(probe, ready, ProbeTls.pinned(served::certificate), Clock.systemUTC())) {
                final String line = right.beat();
                assertTrue(line.startsWith("ready "), line);
            }
            try (Heartbeat wrong =
                    new Heartbeat(probe, ready, ProbeTls.pinned(other::certificate), Clock.systemUTC())) {
                final String line = wrong.beat();
                assertTrue(line.startsWith("unready "), line);
                assertEquals(line + "\n", Files.readString(probe, StandardCharsets.US_ASCII));
                final Check refused = healthcheck(probe, Map.of());
                assertEquals(1, refused.code(), refused.output());
            }
            // Plain HTTP to the TLS port is no answer either.
            final URI plainUri =
                    URI.create("http://127.0.0.1:" + server.server().port() + "/v1/ready");
            try (Heartbeat plain = new Heartbeat(probe, plainUri, null, Clock.systemUTC())) {
                final String line = plain.beat();
                assertTrue(line.startsWith("unready "), line);
            }
        }
    }

    @Test
    void aListenerThatDoesNotAnswerIsUnready() throws Exception {
        final Path file = dir.resolve("heartbeat");
        final int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        final Clock at = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
        try (Heartbeat heartbeat =
                new Heartbeat(file, URI.create("http://127.0.0.1:" + port + "/v1/ready"), null, at)) {
            final String line = heartbeat.beat();
            assertTrue(line.startsWith("unready 1700000000 "), line);
            assertEquals(1, healthcheck(file, Map.of()).code());
        }
        assertFalse(Files.exists(file), "closing removes the file");
    }

    private static void awaitReady(final Path file) throws Exception {
        // The first beat runs at start (while the engine may still load); the next one Heartbeat.PERIOD later.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Heartbeat.PERIOD.toSeconds() * 3);
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.exists(file) ? Files.readString(file) : "";
            if (content.startsWith("ready ")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ready heartbeat in " + file + ": '" + content + "'");
    }

    private record Check(int code, String output) {}

    /** The image's health check, exactly as Docker runs it: the launcher script, no JVM. */
    private static Check healthcheck(final Path file, final Map<String, String> env)
            throws IOException, InterruptedException {
        final ProcessBuilder pb =
                new ProcessBuilder("sh", LAUNCHER.toString(), "healthcheck").redirectErrorStream(true);
        pb.environment().put("CONTINUUM_HEARTBEAT_FILE", file.toString());
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        final Process p = pb.start();
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "healthcheck did not finish");
        return new Check(p.exitValue(), output.strip());
    }
}
