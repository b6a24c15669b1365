package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the running service, on a real (small) tmpfs: the learn that does not fit is answered 503
 * {@code unavailable} within the writer's retry period (not after 30 s) and is never committed later; the service
 * stays ready for reads (recall answers) with writes reported refused; an admin import answers 503, not 500; once
 * space returns, writes resume by themselves. Needs root (mount); skipped loudly elsewhere.
 */
class DiskFullIT {
    /** Large enough that SQLite must grow its files to store it (a small write can reuse the WAL's space). */
    private static final int BIG_CHARS = 3 << 20;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldAnswerTrulyAndStayReadableWhenTheDiskIsFull(@TempDir final Path dir) throws Exception {
        final Path mount = dir.resolve("small-disk");
        Files.createDirectories(mount);
        final Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
                .redirectErrorStream(true)
                .start();
        final String mountOutput = new String(mounting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mounting.waitFor() != 0) {
            Assumptions.abort("SKIPPED LOUDLY: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): "
                    + mountOutput.strip());
            return;
        }
        try {
            run(dir, mount.resolve("data"));
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString())
                    .inheritIO()
                    .start()
                    .waitFor();
        }
    }

    private static void run(final Path dir, final Path data) throws Exception {
        final List<Long> acknowledged = new ArrayList<>();
        final String key;
        final String big = "Harbor Project notes " + "x".repeat(BIG_CHARS);
        try (ServerProcess server = ServerProcess.start(
                data, dir.resolve("first.log"), Map.of("CONTINUUM_MAX_BODY_BYTES", Integer.toString(8 << 20)))) {
            key = server.createKey("full");
            for (int i = 0; i < 3; i++) {
                acknowledged.add(DatabaseFaultIT.learnAcknowledged(server, key, i));
            }
            final Path filler = data.getParent().resolve("filler");
            fill(filler);

            final long startNs = System.nanoTime();
            final TestServer.Reply refused =
                    server.post("/v1/learn", key, Map.of("user_message", big, "ai_response", "Lighthouse Team"));
            final long tookMs = (System.nanoTime() - startNs) / 1_000_000;
            assertEquals(503, refused.status(), refused.body());
            assertEquals("unavailable", refused.json().get("error").asText(), refused.body());
            assertTrue(tookMs < 20_000, "the refusal took " + tookMs + " ms");

            final TestServer.Reply ready = server.get("/v1/ready", null);
            assertEquals(200, ready.status(), "ready for reads: " + ready.body());
            assertTrue(ready.json().has("writes"), ready.body());
            final TestServer.Reply recall =
                    server.post("/v1/recall", key, Map.of("message", "What about the Harbor Project?"));
            assertEquals(200, recall.status(), recall.body());
            final HttpResponse<String> imported = importBody(server);
            assertEquals(503, imported.statusCode(), "an import on a full disk: " + imported.body());

            Files.delete(filler);
            assertTrue(server.awaitWrites(Duration.ofSeconds(20)), "writes did not resume once space returned");
            acknowledged.add(DatabaseFaultIT.learnAcknowledged(server, key, 99));
        }
        try (ServerProcess restarted = ServerProcess.start(data, dir.resolve("second.log"))) {
            assertEquals(
                    acknowledged.size(),
                    restarted.get("/v1/stats", key).json().get("messages").asLong(),
                    "the refused learn was not committed later");
            for (final long id : acknowledged) {
                assertEquals(200, restarted.get("/v1/memories/" + id, key).status(), "acknowledged " + id);
            }
        }
    }

    /** Writes {@code filler} until the file system is full. */
    private static void fill(final Path filler) throws IOException {
        final byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (final IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    private static HttpResponse<String> importBody(final ServerProcess server) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.uri("/v1/admin/import?mode=merge"))
                                .header("X-API-Key", ServerProcess.ADMIN_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(" ".repeat(256 << 10) + "{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
