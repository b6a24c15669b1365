package ai.continuum.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The optional Redis every instance shares for rate-limit buckets. {@link #toString()} shows the host only: the URL
 * may carry a password.
 *
 * @param url       {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://...} for TLS; empty
 *                  turns Redis off (rate limits are then counted per instance).
 * @param timeout   the longest a request waits for Redis before it is limited by this instance alone.
 * @param keyPrefix prepended to every key written, so several deployments (or other programs) can share one Redis.
 * @param caFile    PEM file of the certificate authorities trusted for {@code rediss://}; empty trusts the JVM's.
 */
public record RedisSettings(String url, Duration timeout, String keyPrefix, String caFile) {
    public static final RedisSettings DISABLED = new RedisSettings("", Duration.ofMillis(50), "continuum:", "");

    public RedisSettings {
        Objects.requireNonNull(timeout, "timeout");
        url = url == null ? "" : url.strip();
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        caFile = caFile == null ? "" : caFile.strip();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("redis.timeout-ms must be positive, was " + timeout.toMillis());
        }
        if (!url.isEmpty() && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new IllegalArgumentException(
                    "redis.url (CONTINUUM_REDIS_URL) must start with redis:// or rediss:// (TLS), was " + where(url));
        }
    }

    public boolean enabled() {
        return !url.isEmpty();
    }

    /** Whether the connection is encrypted (a {@code rediss://} URL). */
    public boolean tls() {
        return url.startsWith("rediss://");
    }

    /** The URL without credentials, path or query: safe to log. */
    public String where() {
        return where(url);
    }

    private static String where(final String url) {
        try {
            final URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (final IllegalArgumentException e) {
            return "<unparseable URL>";
        }
    }

    @Override
    public String toString() {
        return "RedisSettings[url=" + (enabled() ? where() : "") + ", timeout=" + timeout + ", keyPrefix=" + keyPrefix
                + ", caFile=" + caFile + "]";
    }
}
