package ai.continuum.server.e2e;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One agent's view of the service: a single keep-alive connection sending one request at a time, as an agent calling
 * learn and recall in turn does. Prints the latency distribution (p50, p90, p99, max) and the range of the median
 * over five equal slices of the run (the error bar).
 *
 * <p>The client is a plain socket with {@code TCP_NODELAY} writing each request in one write and reading the answer by
 * its {@code Content-Length}: it adds no thread hand-off of its own, so what it measures is the service and the
 * loopback.
 *
 * <p>To compare two builds on a machine whose load drifts, give several services ({@code PORTS} and {@code KEYS}
 * comma-separated, one key each): the client keeps one connection to each and alternates its requests between them,
 * so every service is measured under the same load; it prints one line per service.
 *
 * <p>Usage: {@code SequentialLatency PORTS KEYS MODE COUNT [BODIES_FILE]}; {@code MODE} is {@code health},
 * {@code recall} (bodies from the file, one JSON object a line, as {@link SeedGraph} writes them, with
 * {@code max_memories} 5), {@code learn} (durable; each turn distinct, naming two concepts from the file) or
 * {@code learn-async}. A warm-up of {@code COUNT / 5} requests, at least {@link #MIN_WARMUP}, precedes the measured
 * ones.
 */
public final class SequentialLatency {
    private static final Pattern ABOUT = Pattern.compile("about (.+?) and (.+?)\\?");
    /**
     * Requests before the measured ones, at least: with 600 the JIT had not compiled recall's path on a 2-core host and
     * recall's p50 was 1.7x that after 4,000 (benchmarks/RESULTS.md, "One agent at 100k/500k, warm").
     */
    static final int MIN_WARMUP = 4_000;

    private SequentialLatency() {}

    public static void main(final String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println(
                    "usage: SequentialLatency PORTS KEYS health|recall|learn|learn-async COUNT [BODIES_FILE]");
            System.exit(2);
        }
        final String[] ports = args[0].split(",", -1);
        final String[] keys = args[1].split(",", -1);
        final String mode = args[2];
        final int count = Integer.parseInt(args[3]);
        final List<String[]> pairs =
                args.length > 4 ? pairs(Path.of(args[4])) : List.<String[]>of(new String[] {"Alpha", "Beta"});
        final int warmup = Math.max(MIN_WARMUP, count / 5);
        final int services = ports.length;
        final Socket[] sockets = new Socket[services];
        final OutputStream[] outs = new OutputStream[services];
        final InputStream[] ins = new InputStream[services];
        final long[][] nanos = new long[services][count];
        try {
            for (int k = 0; k < services; k++) {
                sockets[k] = new Socket();
                sockets[k].setTcpNoDelay(true);
                sockets[k].connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(ports[k])));
                outs[k] = sockets[k].getOutputStream();
                ins[k] = new BufferedInputStream(sockets[k].getInputStream(), 1 << 16);
            }
            final long tag = System.nanoTime() % 1_000_000;
            for (int i = -warmup; i < count; i++) {
                for (int j = 0; j < services; j++) {
                    // Alternate which service goes first, so neither always follows the other.
                    final int k = Math.floorMod(i + j, services);
                    final byte[] request =
                            request(mode, keys[k], pairs.get(Math.floorMod(i, pairs.size())), tag + k, i);
                    final long start = System.nanoTime();
                    outs[k].write(request);
                    final int status = readResponse(ins[k]);
                    final long took = System.nanoTime() - start;
                    if (status / 100 != 2) {
                        throw new IllegalStateException(
                                "request " + i + " to port " + ports[k] + " answered " + status);
                    }
                    if (i >= 0) {
                        nanos[k][i] = took;
                    }
                }
            }
        } finally {
            for (final Socket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        for (int k = 0; k < services; k++) {
            print(mode + " port " + ports[k], nanos[k]);
        }
    }

    private static byte[] request(
            final String mode, final String key, final String[] pair, final long tag, final int i) {
        final String body;
        final String path;
        switch (mode) {
            case "health" -> {
                return "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            }
            case "recall" -> {
                path = "/v1/recall";
                body = "{\"message\": \"What do we know about " + pair[0] + " and " + pair[1]
                        + "?\", \"max_memories\": 5}";
            }
            case "learn", "learn-async" -> {
                path = "/v1/learn";
                body = "{\"user_message\": \"Should " + pair[0] + " depend on " + pair[1] + " for release " + tag + "-"
                        + i + "?\", \"ai_response\": \"I will link " + pair[0] + " and " + pair[1]
                        + " in the Release Plan.\", \"async\": " + mode.equals("learn-async") + "}";
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        final byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        final byte[] all = Arrays.copyOf(h, h.length + bytes.length);
        System.arraycopy(bytes, 0, all, h.length, bytes.length);
        return all;
    }

    /** Reads one response (status line, headers, a {@code Content-Length} body); returns its status. */
    private static int readResponse(final InputStream in) throws IOException {
        final String statusLine = line(in);
        final int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).trim());
            } else if (h.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                throw new IOException("chunked answers are not read by this client: " + h);
            }
        }
        in.skipNBytes(length);
        return status;
    }

    private static String line(final InputStream in) throws IOException {
        final StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static List<String[]> pairs(final Path bodies) throws IOException {
        final List<String[]> pairs = new ArrayList<>();
        for (final String line : Files.readAllLines(bodies)) {
            final Matcher m = ABOUT.matcher(line);
            if (m.find()) {
                pairs.add(new String[] {m.group(1), m.group(2)});
            }
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException(bodies + " names no pair of concepts");
        }
        return pairs;
    }

    private static void print(final String mode, final long[] nanos) {
        final int slices = 5;
        final int per = nanos.length / slices;
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int s = 0; s < slices; s++) {
            final long[] slice = Arrays.copyOfRange(nanos, s * per, (s + 1) * per);
            Arrays.sort(slice);
            final double p50 = slice[slice.length / 2] / 1e3;
            lo = Math.min(lo, p50);
            hi = Math.max(hi, p50);
        }
        final long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "%s n=%d p50=%.1fus [%.1f..%.1f] p90=%.1fus p99=%.1fus max=%.1fus mean=%.1fus%n",
                mode,
                nanos.length,
                at(sorted, 0.50),
                lo,
                hi,
                at(sorted, 0.90),
                at(sorted, 0.99),
                sorted[sorted.length - 1] / 1e3,
                Arrays.stream(nanos).average().orElse(0) / 1e3);
    }

    private static double at(final long[] sorted, final double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e3;
    }
}
