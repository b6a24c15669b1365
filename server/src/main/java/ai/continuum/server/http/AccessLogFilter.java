package ai.continuum.server.http;

import ai.continuum.server.logging.LogFields;
import ai.continuum.server.logging.RateLimitedAccessLines;
import ai.continuum.server.logging.SuppressedAccessLines;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Outermost filter: gives every request an id and writes one access-log record per request.
 *
 * <p>The id is the caller's {@code X-Request-Id} when it is a plain token (letters, digits, {@code . _ : -}, at most
 * 128), so a proxy's id follows the request through; otherwise a new random one. It is set on the response before
 * anything else runs, so every answer carries it, including 401, 404, 429 and errors.
 *
 * <p>The record goes to the logger {@code continuum.access} at INFO: in the JSON log format its fields
 * ({@code request_id, method, path, route, status, duration_ms, remote, user_agent}) are fields of the line; in the
 * text format the message carries them. The path is logged without its query string.
 *
 * <p>Refused requests (429, such as {@code rate_limited}) are sampled by {@link RateLimitedAccessLines}: one line per
 * address a minute, carrying {@code left_out}, the number of 429s not written since the last one. Each 429 is counted
 * in {@code continuum_access_lines_429_total{outcome="written"|"left_out"}}. Thread-safe.
 */
public final class AccessLogFilter implements Filter {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    static final String LOGGER = SuppressedAccessLines.ACCESS_LOGGER;
    private static final Logger LOG = Logger.getLogger(LOGGER);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final RateLimitedAccessLines rateLimited;
    private final Consumer<String> counter;

    /** @param counter told "written" or "left_out" for every 429's access line (the metric). */
    public AccessLogFilter(final RateLimitedAccessLines rateLimited, final Consumer<String> counter) {
        this.rateLimited = rateLimited;
        this.counter = counter;
    }

    @Override
    public void filter(final FilterChain chain, final RoutingRequest req, final RoutingResponse res) {
        final String id = req.headers()
                .first(REQUEST_ID)
                .filter(v -> TOKEN.matcher(v).matches())
                .orElseGet(AccessLogFilter::newId);
        res.header(REQUEST_ID, id);
        final long startNs = System.nanoTime();
        // read while the connection is surely open: one cut during the request still has its client named
        final String remote = LOG.isLoggable(Level.INFO) ? RemoteHost.of(req.remotePeer()) : null;
        try {
            chain.proceed();
        } finally {
            if (remote != null) {
                log(req, res, remote, id, (System.nanoTime() - startNs) / 1e6);
            }
        }
    }

    private void log(
            final RoutingRequest req,
            final RoutingResponse res,
            final String remote,
            final String id,
            final double ms) {
        final int status = res.status().code();
        long leftOut = 0;
        // A throttled authentication failure's line is dropped by SuppressedAccessLines and counted with the failures.
        if (status == 429 && !SuppressedAccessLines.marked()) {
            final RateLimitedAccessLines.Decision decision = rateLimited.refused(remote);
            counter.accept(decision.write() ? "written" : "left_out");
            if (!decision.write()) {
                return;
            }
            leftOut = decision.leftOut();
        }
        final String method = req.prologue().method().text();
        // The prologue keeps the path as received; req.path() is relative to the matched service after routing.
        final String path = req.prologue().uriPath().rawPath();
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_id", id);
        fields.put("method", method);
        fields.put("path", path);
        fields.put("route", req.matchingPattern().orElse(MetricsFilter.UNMATCHED));
        fields.put("status", status);
        fields.put("duration_ms", Math.round(ms * 1000) / 1000.0);
        fields.put("remote", remote);
        fields.put("user_agent", req.headers().first(HeaderNames.USER_AGENT).orElse(""));
        if (leftOut > 0) {
            fields.put("left_out", leftOut);
        }
        final LogRecord record = new LogRecord(Level.INFO, message(remote, method, path, status, ms, id, leftOut));
        record.setLoggerName(LOGGER);
        record.setParameters(new Object[] {new LogFields(fields)});
        LOG.log(record);
    }

    /**
     * {@code remote "METHOD path" status 1.234 ms id=...}, and {@code left_out=N} when some 429s were not written: built
     * in one builder, without a {@code Formatter} per request (the milliseconds rounded half up to three decimals).
     */
    static String message(
            final String remote,
            final String method,
            final String path,
            final int status,
            final double ms,
            final String id,
            final long leftOut) {
        final StringBuilder m = new StringBuilder(64 + remote.length() + path.length() + id.length())
                .append(remote)
                .append(" \"")
                .append(method)
                .append(' ')
                .append(path)
                .append("\" ")
                .append(status)
                .append(' ');
        final long micros = Math.round(ms * 1000);
        final long fraction = micros % 1000;
        m.append(micros / 1000)
                .append(fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".")
                .append(fraction);
        m.append(" ms id=").append(id);
        if (leftOut > 0) {
            m.append(" left_out=").append(leftOut);
        }
        return m.toString();
    }

    /** 32 random lower-case hex digits. */
    static String newId() {
        final ThreadLocalRandom r = ThreadLocalRandom.current();
        final char[] hex = new char[32];
        hexDigits(r.nextLong(), hex, 0);
        hexDigits(r.nextLong(), hex, 16);
        return new String(hex);
    }

    private static void hexDigits(final long value, final char[] out, final int at) {
        for (int i = 0; i < 16; i++) {
            out[at + i] = Character.forDigit((int) (value >>> (60 - 4 * i)) & 0xF, 16);
        }
    }
}
