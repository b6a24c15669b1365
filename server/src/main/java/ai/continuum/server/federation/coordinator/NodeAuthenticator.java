package ai.continuum.server.federation.coordinator;

import ai.continuum.server.federation.RequestSignature;
import ai.continuum.server.http.ApiException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.util.function.LongSupplier;

/**
 * Proves which node sent a request: the signature ({@link RequestSignature}) must verify under the public key the node
 * registered at join, over exactly the method, path, body and headers received; the timestamp must be within the skew
 * bound; the nonce must be new (kept until the request could no longer pass the skew check, so the replay cache is
 * bounded). The node id header alone proves nothing. Unknown nodes, bad signatures, stale or replayed requests answer
 * 401; a revoked or departed node 403. The signature is checked before the nonce is recorded, so nobody can spend
 * another node's nonces. Thread-safe.
 */
final class NodeAuthenticator {
    static final int MAX_BODY_BYTES = 8 << 20;
    private static final HeaderName NODE = HeaderNames.create(RequestSignature.NODE);
    private static final HeaderName TIMESTAMP = HeaderNames.create(RequestSignature.TIMESTAMP);
    private static final HeaderName NONCE = HeaderNames.create(RequestSignature.NONCE);
    private static final HeaderName SIGNATURE = HeaderNames.create(RequestSignature.SIGNATURE);

    private final CoordinatorStore store;
    private final long maxSkewSeconds;
    private final LongSupplier clockMillis;
    private final CoordinatorMetrics metrics;

    NodeAuthenticator(
            final CoordinatorStore store,
            final long maxSkewSeconds,
            final LongSupplier clockMillis,
            final CoordinatorMetrics metrics) {
        this.store = store;
        this.maxSkewSeconds = maxSkewSeconds;
        this.clockMillis = clockMillis;
        this.metrics = metrics;
    }

    /** A request whose sender is proven, with the body it signed. */
    @SuppressWarnings("ArrayRecordComponent") // the signed request body, passed through; never compared or hashed
    record Signed(CoordinatorStore.NodeRecord node, byte[] body) {}

    Signed authenticate(final ServerRequest req) {
        final var headers = req.headers();
        if (!headers.contains(NODE)
                || !headers.contains(TIMESTAMP)
                || !headers.contains(NONCE)
                || !headers.contains(SIGNATURE)) {
            throw reject(401, "unsigned_request", "federation requests must be signed by a member node");
        }
        final String nodeId = headers.get(NODE).get();
        final String nonce = headers.get(NONCE).get();
        final long timestamp;
        try {
            timestamp = Long.parseLong(headers.get(TIMESTAMP).get());
        } catch (final NumberFormatException e) {
            throw reject(401, "bad_signature", "the timestamp is not a number of seconds");
        }
        final byte[] body = body(req);
        final CoordinatorStore.NodeRecord node =
                store.node(nodeId).orElseThrow(() -> reject(401, "unknown_node", "no member node has this id"));
        final PublicKey key = RequestSignature.decodePublic(node.publicKey());
        final String pathAndQuery = req.path().absolute().rawPath()
                + (req.query().rawValue().isEmpty() ? "" : "?" + req.query().rawValue());
        if (!RequestSignature.verify(
                key,
                nodeId,
                req.prologue().method().text(),
                pathAndQuery,
                body,
                timestamp,
                nonce,
                headers.get(SIGNATURE).get())) {
            throw reject(401, "bad_signature", "the signature does not match this request");
        }
        if (!"active".equals(node.status())) {
            throw reject(403, "node_revoked", "this node is " + node.status() + " and may no longer take part");
        }
        final long now = clockMillis.getAsLong();
        if (Math.abs(now / 1000 - timestamp) > maxSkewSeconds) {
            throw reject(
                    401,
                    "stale_request",
                    "the request's timestamp is more than " + maxSkewSeconds + " s from the coordinator's clock");
        }
        if (nonce.length() > 64 || !store.claimNonce(nodeId, nonce, now + 2 * maxSkewSeconds * 1000)) {
            throw reject(401, "replayed_request", "this request was already received");
        }
        return new Signed(node, body);
    }

    private ApiException reject(final int status, final String code, final String message) {
        metrics.rejected(code);
        return new ApiException(status, code, message);
    }

    private static byte[] body(final ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            final byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ApiException(413, "payload_too_large", "the body is over " + MAX_BODY_BYTES + " bytes");
            }
            return bytes;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
