package ai.continuum.server.federation.node;

import ai.continuum.server.federation.RequestSignature;
import ai.continuum.server.tls.ProbeTls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;

/**
 * HTTP to the coordinator: every member request signed ({@link RequestSignature}) over the exact bytes sent, over TLS
 * when the URL is https (trusting a configured CA certificate, or the JDK's trust store). Thread-safe.
 */
public final class CoordinatorClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final HttpClient http;
    private final LongSupplier clockMillis;

    public CoordinatorClient(final String baseUrl, final Path caFile, final LongSupplier clockMillis) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (caFile != null) {
            builder.sslContext(trusting(caFile));
        }
        this.http = builder.build();
        this.clockMillis = clockMillis;
    }

    /** An answer: its status and JSON body (an empty object when the body is not JSON). */
    public record Reply(int status, JsonNode json) {
        public boolean ok() {
            return status / 100 == 2;
        }

        public String error() {
            return json.path("error").asText("http_" + status);
        }
    }

    /** The coordinator did not answer (down, unreachable, TLS refused). */
    public static final class UnreachableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreachableException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    /** An unsigned request (joining, which the enrolment token authorises). */
    public Reply post(final String path, final Object body) {
        final byte[] bytes = bytes(body);
        return send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build());
    }

    /** A request signed as node {@code nodeId}; {@code body} null sends none (GET). */
    public Reply signed(
            final String method, final String path, final Object body, final String nodeId, final PrivateKey key) {
        final byte[] bytes = body == null ? new byte[0] : bytes(body);
        final RequestSignature.Headers headers =
                RequestSignature.sign(key, nodeId, method, path, bytes, clockMillis.getAsLong() / 1000);
        final HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header(RequestSignature.NODE, headers.node())
                .header(RequestSignature.TIMESTAMP, Long.toString(headers.timestamp()))
                .header(RequestSignature.NONCE, headers.nonce())
                .header(RequestSignature.SIGNATURE, headers.signature());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        return send(request.build());
    }

    private Reply send(final HttpRequest request) {
        final HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (final IOException e) {
            throw new UnreachableException("the federation coordinator " + base + " did not answer: " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while calling the federation coordinator", e);
        }
        JsonNode json;
        try {
            json = response.body().length == 0 ? null : JSON.readTree(response.body());
        } catch (final IOException e) {
            json = null;
        }
        return new Reply(response.statusCode(), json == null ? JSON.createObjectNode() : json);
    }

    private static byte[] bytes(final Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TLS context trusting the certificates in one PEM file, which must hold at least one. */
    public static SSLContext trusting(final Path caFile) {
        try {
            final Collection<? extends Certificate> cas = ProbeTls.certificates(caFile);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("federation.ca-file " + caFile + " holds no certificate");
            }
            return ProbeTls.trusting(cas);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read federation.ca-file " + caFile, e);
        } catch (final GeneralSecurityException e) {
            throw new IllegalArgumentException("federation.ca-file " + caFile + " is unusable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
