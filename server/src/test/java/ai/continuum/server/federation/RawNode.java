package ai.continuum.server.federation;

import ai.continuum.server.TestClient;
import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A federation member driven by hand in tests: joins with its own key pair, then sends signed requests whose parts
 * the test may alter after signing (tampering, replays, other ids). Its requests go through the tests' socket client,
 * {@link TestClient}.
 */
public final class RawNode {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestClient http;
    private final KeyPair keys = RequestSignature.newKeyPair();
    private String nodeId;

    public RawNode(final URI base, final SSLContext ssl) {
        this.http = new TestClient(base, ssl);
    }

    public record Reply(int status, JsonNode json) {}

    /** A signed request as it will be sent: the test may change any part before {@link #send}. */
    @SuppressWarnings("ArrayRecordComponent") // the request body as sent; never compared or hashed
    public record Signed(
            String method, String path, String nodeId, long timestamp, String nonce, String signature, byte[] body) {
        public Signed withBody(final String other) {
            return new Signed(
                    method, path, nodeId, timestamp, nonce, signature, other.getBytes(StandardCharsets.UTF_8));
        }

        public Signed withNode(final String other) {
            return new Signed(method, path, other, timestamp, nonce, signature, body);
        }
    }

    public String nodeId() {
        return nodeId;
    }

    /** Joins with an enrolment token minted by the operator. */
    public Reply join(final String token) throws IOException, InterruptedException {
        final Reply reply = send(
                "POST",
                "/federation/join",
                null,
                JSON.writeValueAsBytes(Map.of(
                        "enrolment_token", token, "public_key", RequestSignature.encodePublic(keys.getPublic()))));
        nodeId = reply.json().path("node_id").asText(null);
        return reply;
    }

    public Signed sign(final String method, final String path, final Object body) throws IOException {
        return sign(method, path, body, System.currentTimeMillis() / 1000);
    }

    public Signed sign(final String method, final String path, final Object body, final long timestamp)
            throws IOException {
        final byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        final RequestSignature.Headers h =
                RequestSignature.sign(keys.getPrivate(), nodeId, method, path, bytes, timestamp);
        return new Signed(method, path, nodeId, h.timestamp(), h.nonce(), h.signature(), bytes);
    }

    public Reply send(final Signed s) throws IOException, InterruptedException {
        final Map<String, String> headers = new LinkedHashMap<>();
        headers.put(RequestSignature.NODE, s.nodeId());
        headers.put(RequestSignature.TIMESTAMP, Long.toString(s.timestamp()));
        headers.put(RequestSignature.NONCE, s.nonce());
        headers.put(RequestSignature.SIGNATURE, s.signature());
        headers.put("Content-Type", "application/json");
        return reply(http.exchange(s.method(), s.path(), null, headers, s.body()));
    }

    /** Signs and sends. */
    public Reply call(final String method, final String path, final Object body)
            throws IOException, InterruptedException {
        return send(sign(method, path, body));
    }

    /** An unsigned request, with an operator token when {@code bearer} is not null. */
    public Reply send(final String method, final String path, final String bearer, final byte[] body)
            throws IOException, InterruptedException {
        final Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        return reply(http.exchange(method, path, null, headers, body));
    }

    /** Mints an enrolment token for {@code org} with the operator's token. */
    public String enrol(final String operatorToken, final String org) throws IOException, InterruptedException {
        final Reply reply = send(
                "POST", "/federation/admin/enrolments", operatorToken, JSON.writeValueAsBytes(Map.of("org_id", org)));
        if (reply.status() != 201) {
            throw new IllegalStateException("enrolment failed: " + reply);
        }
        return reply.json().path("enrolment_token").asText();
    }

    /** Every answer of the federation API is JSON, whatever its content type says; an empty one reads as {}. */
    private static Reply reply(final TestServer.Reply answer) throws IOException {
        final JsonNode json = answer.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(answer.body());
        return new Reply(answer.status(), json);
    }
}
