package ai.continuum.server.redis;

import ai.continuum.server.config.RedisSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.File;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This process's connection to the shared Redis, and whether Redis answers now.
 *
 * <p>Invariants: every command is bounded by {@link RedisSettings#timeout} (Lettuce's command timeout), and a command
 * issued while the connection is down fails at once instead of queueing, so no caller ever waits longer. The state
 * turns to unreachable on the first failure a caller reports ({@link #failed}) and back to connected on the next
 * {@code PING} that answers in time; a probe sends one every {@link #PROBE_PERIOD}. Each change of state writes one
 * log line, never one per request. Lettuce's own reconnect lines are silenced for the same reason.
 *
 * <p>Thread-safe: the state is an atomic flag; the connection is published once, by the prober thread.
 */
public final class RedisLink implements AutoCloseable {
    /** How often Redis is pinged, and so the longest a recovered Redis stays unused. */
    public static final Duration PROBE_PERIOD = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(RedisLink.class.getName());
    /** Held so the level set on it survives (java.util.logging keeps loggers weakly). */
    private static final Logger LETTUCE_LOG = Logger.getLogger("io.lettuce");

    /** What readiness shows. */
    public enum State {
        DISABLED,
        CONNECTED,
        UNREACHABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final RedisSettings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final ScheduledExecutorService prober;
    private final AtomicBoolean up = new AtomicBoolean();
    /** Whether the one "unreachable" line has been written since Redis last answered. */
    private final AtomicBoolean reportedDown = new AtomicBoolean();

    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile boolean closed;

    private RedisLink(final RedisSettings settings) {
        this.settings = settings;
        this.uri = RedisURI.create(settings.url());
        // Connecting (TCP, TLS handshake, AUTH) happens off the request path and may take longer than a command; every
        // command is bounded by the timeout options below.
        uri.setTimeout(connectTimeout(settings));
        // Reconnects after a drop are attempted often, so a Redis that comes back is used again within seconds.
        this.resources = ClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        final ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(connectTimeout(settings))
                        .keepAlive(true)
                        .build());
        if (settings.tls() && !settings.caFile().isEmpty()) {
            options.sslOptions(SslOptions.builder()
                    .jdkSslProvider()
                    .trustManager(new File(settings.caFile()))
                    .build());
        }
        client.setOptions(options.build());
        this.prober = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("redis-probe").unstarted(r));
    }

    /**
     * Connects to the configured Redis, waiting at most about a second for the first answer; when it does not answer,
     * the link starts unreachable and keeps trying in the background. Never throws for an unreachable Redis.
     */
    public static RedisLink open(final RedisSettings settings) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("Redis is not configured");
        }
        LETTUCE_LOG.setLevel(Level.SEVERE);
        final RedisLink link = new RedisLink(settings);
        link.probe();
        if (link.up.get()) {
            LOG.info(() -> "Redis at " + settings.where() + (settings.tls() ? " (TLS)" : "")
                    + " connected: rate limits are shared by every instance");
        }
        // probe catches its own failures; the prober's shutdown stops it.
        final ScheduledFuture<?> unused = link.prober.scheduleWithFixedDelay(
                link::probe, PROBE_PERIOD.toMillis(), PROBE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return link;
    }

    private static Duration connectTimeout(final RedisSettings settings) {
        // A TCP connect, a TLS handshake and AUTH need more than one command's budget (the first TLS connection of a
        // JVM loads its classes), and happen off the request path.
        return Duration.ofMillis(Math.max(5_000, settings.timeout().toMillis()));
    }

    /** Whether Redis answered the last probe and no caller reported a failure since. */
    public boolean up() {
        return up.get() && connection != null;
    }

    public State state() {
        return up() ? State.CONNECTED : State.UNREACHABLE;
    }

    public RedisSettings settings() {
        return settings;
    }

    /** The connection (keys as text, values as bytes), or null before Redis first answered. */
    public StatefulRedisConnection<String, byte[]> connection() {
        return connection;
    }

    /** A caller's command failed or timed out: treat Redis as unreachable until a probe answers. */
    public void failed(final Throwable cause) {
        if (up.compareAndSet(true, false)) {
            reportDown(cause);
        }
    }

    private void probe() {
        if (closed) {
            return;
        }
        try {
            StatefulRedisConnection<String, byte[]> c = connection;
            if (c == null) {
                c = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), uri);
                connection = c;
            }
            c.sync().ping();
            if (up.compareAndSet(false, true) && reportedDown.getAndSet(false)) {
                LOG.info(() -> "Redis at " + settings.where() + " answers again: rate limits are shared again");
            }
        } catch (final RuntimeException e) {
            up.set(false);
            reportDown(e);
        }
    }

    private void reportDown(final Throwable cause) {
        if (!reportedDown.getAndSet(true)) {
            LOG.warning(() -> "Redis at " + settings.where() + " does not answer within "
                    + settings.timeout().toMillis() + " ms (" + describe(cause)
                    + "): rate limits are counted by each instance alone until it does");
        }
    }

    private static String describe(final Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        final String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() {
        closed = true;
        prober.shutdownNow();
        try {
            if (connection != null) {
                connection.close();
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            // Closing: nothing waits for the event loops to finish.
            final Future<Boolean> unused = resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
