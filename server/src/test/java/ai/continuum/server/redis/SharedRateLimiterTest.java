package ai.continuum.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.Await;
import ai.continuum.server.LogCapture;
import ai.continuum.server.TestPki;
import ai.continuum.server.TestServer;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.config.RedisSettings;
import ai.continuum.server.ratelimit.SharedRateLimiter;
import ai.continuum.server.ratelimit.TokenBucket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate-limit buckets in a real {@code redis-server} the test owns: two limiters (two instances) share one bucket per
 * client; with Redis killed or hung every decision is made locally within the timeout, with one log line and a
 * counted metric; when Redis returns the buckets are shared again. TLS with a verified certificate and a password.
 */
// Real socket: ContinuumServer.start wires the shared limiter from its Redis settings.
class SharedRateLimiterTest {
    /**
     * Production's default is 50 ms. Here a slower answer counts as Redis down and turns a shared decision into a
     * local one, which the tests of sharing would read as a failure, so it is far beyond a round trip on a machine at
     * a load of 30 (at 250 ms such a machine timed out a shared decision now and then).
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * What a decision must stay under while Redis is down or hung: one command's timeout plus ample slack for a loaded
     * machine. It tells a decision bounded by the timeout from one left to Lettuce's own 60 s default.
     */
    private static final long DECISION_BOUND_MS = TIMEOUT.toMillis() + 10_000;
    /**
     * The timeout of the test of a hung Redis, whose first decision waits it out in full: no decision there needs a
     * shared answer to pass, so it need not be far beyond a round trip.
     */
    private static final Duration HANG_TIMEOUT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private LogCapture linkLog;

    @BeforeEach
    void captureLog() {
        linkLog = LogCapture.of(RedisLink.class.getName());
        open.add(linkLog);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (final AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(final T closeable) {
        open.add(closeable);
        return closeable;
    }

    private RedisLink link(final String url, final String caFile) {
        return link(url, caFile, TIMEOUT);
    }

    private RedisLink link(final String url, final String caFile, final Duration timeout) {
        return keep(RedisLink.open(new RedisSettings(url, timeout, "continuum-test:", caFile)));
    }

    @Test
    void shouldLimitAClientThroughEveryInstanceOnceItSpentItsBurstThroughOne() {
        final RedisProcess redis = keep(RedisProcess.start(dir.resolve("redis")));
        final SharedRateLimiter a = new SharedRateLimiter(1, 3, link(redis.url(), ""), () -> {});
        final SharedRateLimiter b = new SharedRateLimiter(1, 3, link(redis.url(), ""), () -> {});
        awaitConnected(a);
        awaitConnected(b);
        for (int i = 2; i >= 0; i--) {
            final TokenBucket.Decision d = a.tryAcquire("key:shared");
            assertTrue(d.allowed());
            assertEquals(i, d.remaining());
        }
        final TokenBucket.Decision onB = b.tryAcquire("key:shared");
        assertFalse(onB.allowed(), "the burst spent through A is spent for B; log: " + messages());
        assertTrue(onB.retryAfterNs() > 0);
        assertTrue(b.tryAcquire("key:other").allowed(), "another client has its own bucket");
        assertEquals(RedisLink.State.CONNECTED, b.redis());
    }

    @Test
    void shouldLimitLocallyWhileRedisIsDownAndShareAgainWhenItIsBack() throws Exception {
        final RedisProcess redis = keep(RedisProcess.start(dir.resolve("redis")));
        final AtomicInteger local = new AtomicInteger();
        final SharedRateLimiter a = new SharedRateLimiter(1, 2, link(redis.url(), ""), local::incrementAndGet);
        final SharedRateLimiter b = new SharedRateLimiter(1, 2, link(redis.url(), ""), local::incrementAndGet);
        awaitConnected(a);
        awaitConnected(b);
        a.tryAcquire("key:down");
        a.tryAcquire("key:down");
        assertFalse(b.tryAcquire("key:down").allowed());
        assertEquals(0, local.get());

        redis.stop();
        for (int i = 0; i < 50; i++) {
            final long startNs = System.nanoTime();
            final TokenBucket.Decision d = b.tryAcquire("key:down-" + i);
            final long tookMs = (System.nanoTime() - startNs) / 1_000_000;
            assertTrue(d.allowed(), "a client new to this instance has its local burst");
            assertTrue(tookMs < DECISION_BOUND_MS, "decision " + i + " took " + tookMs + " ms with Redis down");
        }
        assertEquals(50, local.get(), "every decision was made locally and counted");
        assertEquals(RedisLink.State.UNREACHABLE, b.redis());
        final long downLines = linkLog.records().stream()
                .filter(r -> r.getMessage().contains("does not answer"))
                .count();
        assertTrue(downLines >= 1 && downLines <= 2, "one line per instance, not one per request: " + messages());

        redis.start();
        awaitConnected(a);
        awaitConnected(b);
        a.tryAcquire("key:back");
        a.tryAcquire("key:back");
        assertFalse(b.tryAcquire("key:back").allowed(), "shared again once Redis answers");
        assertTrue(
                messages().stream().anyMatch(m -> m.contains("answers again")),
                messages().toString());
    }

    @Test
    void shouldDecideWithinTheTimeoutWhileRedisHangs() {
        final RedisProcess redis = keep(RedisProcess.start(dir.resolve("redis")));
        final AtomicInteger local = new AtomicInteger();
        final SharedRateLimiter limiter =
                new SharedRateLimiter(60, 10, link(redis.url(), "", HANG_TIMEOUT), local::incrementAndGet);
        awaitConnected(limiter);
        assertTrue(limiter.tryAcquire("key:hang").allowed());
        // With the short timeout a slow machine may have decided that one locally; only what follows is counted.
        final int beforeHang = local.get();
        redis.pause();
        try {
            for (int i = 0; i < 20; i++) {
                final long startNs = System.nanoTime();
                assertTrue(limiter.tryAcquire("key:hang-" + i).allowed());
                final long tookMs = (System.nanoTime() - startNs) / 1_000_000;
                assertTrue(
                        tookMs < HANG_TIMEOUT.toMillis() + 10_000,
                        "decision " + i + " took " + tookMs + " ms, Redis hung");
            }
            assertEquals(20, local.get() - beforeHang);
            assertEquals(RedisLink.State.UNREACHABLE, limiter.redis());
        } finally {
            redis.resume();
        }
        awaitConnected(limiter);
    }

    @Test
    void shouldShareBucketsOverTlsWithAPasswordAndRefuseAnUnknownCertificate() {
        final TestPki.ServerFiles certs = TestPki.serverFiles(dir.resolve("certs"));
        final RedisProcess redis = keep(RedisProcess.start(dir.resolve("redis"), "s3cret-redis-pass", certs));
        assertTrue(redis.url().startsWith("rediss://:s3cret-redis-pass@"), redis.url());
        final SharedRateLimiter a =
                new SharedRateLimiter(1, 1, link(redis.url(), certs.ca().toString()), () -> {});
        final SharedRateLimiter b =
                new SharedRateLimiter(1, 1, link(redis.url(), certs.ca().toString()), () -> {});
        // Opening waits about a second for the first answer; a loaded machine's first TLS handshake can take longer,
        // and the link keeps trying.
        awaitConnected(a);
        awaitConnected(b);
        assertTrue(a.tryAcquire("key:tls").allowed());
        assertFalse(b.tryAcquire("key:tls").allowed(), "shared over TLS");

        final TestPki.ServerFiles stranger = TestPki.serverFiles(dir.resolve("other-ca"));
        final RedisLink untrusted = link(redis.url(), stranger.ca().toString());
        assertEquals(RedisLink.State.UNREACHABLE, untrusted.state(), "a certificate of an unknown CA is refused");
        final RedisLink noPassword = link(
                redis.url().replace(":s3cret-redis-pass@", ":wrong@"),
                certs.ca().toString());
        assertEquals(RedisLink.State.UNREACHABLE, noPassword.state(), "a wrong password is refused");
        assertTrue(
                messages().stream().noneMatch(m -> m.contains("s3cret-redis-pass") || m.contains("wrong@")),
                "no password in the log: " + messages());
    }

    @Test
    void shouldShowRedisInReadinessAndMetricsAndNeverFailARequestBecauseOfIt() {
        final RedisProcess redis = keep(RedisProcess.start(dir.resolve("redis")));
        final TestServer server = keep(TestServer.start(
                dir.resolve("data"),
                Map.of(
                        ConfigKey.REDIS_URL,
                        redis.url(),
                        ConfigKey.REDIS_TIMEOUT_MS,
                        Long.toString(TIMEOUT.toMillis()),
                        ConfigKey.RATE_LIMIT_PER_MINUTE,
                        "600",
                        ConfigKey.RATE_LIMIT_BURST,
                        "100")));
        final String key = server.createKey("ready-redis");
        assertEquals(200, server.get("/v1/stats", key).status());
        final TestServer.Reply ready = Await.until(
                "readiness shows Redis connected",
                () -> server.get("/v1/ready", null),
                r -> r.body().contains("\"redis\":\"connected\""));
        assertEquals(200, ready.status());
        redis.stop();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, server.get("/v1/stats", key).status(), "Redis down never fails a request");
        }
        final TestServer.Reply down = server.get("/v1/ready", null);
        assertEquals(200, down.status(), "Redis is optional: the instance stays ready");
        assertEquals("unreachable", down.json().get("redis").asText(), down.body());
        final String metrics = server.get("/metrics", TestServer.ADMIN_KEY).body();
        assertTrue(metrics.contains("continuum_redis_up 0.0"), metrics);
        assertTrue(metrics.contains("continuum_redis_local_decisions_total"), metrics);
    }

    private void awaitConnected(final SharedRateLimiter limiter) {
        Await.until("Redis answering this limiter", limiter::redis, s -> s == RedisLink.State.CONNECTED);
    }

    private List<String> messages() {
        return linkLog.messages();
    }
}
