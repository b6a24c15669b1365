package ai.continuum.server.http;

import ai.continuum.server.storage.DuplicateRequestException;
import ai.continuum.server.storage.IdempotencyClaim;
import ai.continuum.server.storage.IdempotencyKeys;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The {@code Idempotency-Key} request header of learn, turn, memory create, prune and import. A first request with a key
 * commits the key in the same transaction as its write and records its answer; a retry with the same key, within the
 * window ({@code idempotency.window-hours}), on any instance over the same database, gets the original answer (with
 * {@code Idempotent-Replayed: true}) and applies nothing. A key reused for a different request is refused (422
 * {@code idempotency_key_reused}); a retry that arrives while the original is still being answered gets 409
 * {@code idempotency_key_in_progress}.
 *
 * <p>Thread-safe; one per server.
 */
public final class Idempotency {
    public static final HeaderName HEADER = HeaderNames.create("Idempotency-Key");
    static final HeaderName REPLAYED = HeaderNames.create("Idempotent-Replayed");
    /** Longest accepted key, in characters. */
    static final int MAX_KEY_CHARS = 255;
    /**
     * A committed key without a recorded answer younger than this is taken as still being answered (the original
     * answers milliseconds after its commit); older, the server stopped in between, and the retry is answered from
     * the key's memory id.
     */
    static final long IN_PROGRESS_MS = 10_000;

    private final IdempotencyKeys keys;
    private final Duration window;
    private final LongSupplier clock;

    public Idempotency(final IdempotencyKeys keys, final Duration window, final LongSupplier clock) {
        this.keys = keys;
        this.window = window;
        this.clock = clock;
    }

    /** The request's key, or null without the header; 400 when it is empty, too long or not printable ASCII. */
    static String key(final ServerRequest req) {
        final Optional<String> header = req.headers().first(HEADER);
        if (header.isEmpty()) {
            return null;
        }
        final String key = header.get();
        if (key.isEmpty() || key.length() > MAX_KEY_CHARS || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.badRequest("header 'Idempotency-Key' must be 1-" + MAX_KEY_CHARS
                    + " printable ASCII characters without spaces");
        }
        return key;
    }

    /** SHA-256 hex over the route and the request's content, each part length-prefixed. */
    static String requestHash(final String route, final String... parts) {
        final MessageDigest sha = sha256();
        update(sha, route);
        for (final String part : parts) {
            update(sha, part == null ? "\u0000null" : part);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void update(final MessageDigest sha, final String part) {
        final byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(bytes);
    }

    /**
     * Serves one keyed write: the stored answer for a retry; otherwise runs {@code write} with the claim it must
     * commit with its op and records and sends its answer. A concurrent request that won the key (here or on another
     * instance) makes the write apply nothing ({@link DuplicateRequestException}), and this answers as a retry.
     */
    void serve(
            final ServerResponse res,
            final String tenant,
            final String key,
            final String requestHash,
            final long memoryId,
            final int status,
            final Function<IdempotencyClaim, Object> write) {
        if (replay(res, tenant, key, requestHash)) {
            return;
        }
        final IdempotencyClaim claim = new IdempotencyClaim(tenant, key, requestHash, memoryId, windowStart());
        final Object view;
        try {
            view = write.apply(claim);
        } catch (final DuplicateRequestException e) {
            if (replay(res, tenant, key, requestHash)) {
                return;
            }
            throw new ApiException(
                    409,
                    "idempotency_key_in_progress",
                    "a request with Idempotency-Key '" + Body.abbreviate(key)
                            + "' is still being answered; retry shortly",
                    Map.of("Retry-After", "1"));
        }
        final String json;
        try {
            json = Json.MAPPER.writeValueAsString(view);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the answer", e);
        }
        keys.record(claim, status, json, clock.getAsLong());
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.status(status).send(json);
    }

    /**
     * Answers a retry of a stored key and returns true; returns false when the key is not stored (the request goes
     * on). Throws 422 when the key was used for a different request, 409 while the original is being answered.
     */
    boolean replay(final ServerResponse res, final String tenant, final String key, final String requestHash) {
        final Optional<IdempotencyKeys.Stored> found = keys.find(tenant, key, windowStart());
        if (found.isEmpty()) {
            return false;
        }
        final IdempotencyKeys.Stored stored = found.get();
        if (!stored.requestHash().equals(requestHash)) {
            throw new ApiException(
                    422,
                    "idempotency_key_reused",
                    "Idempotency-Key '" + Body.abbreviate(key)
                            + "' was used for a different request; use a new key for a new request");
        }
        res.header(REPLAYED, "true");
        if (stored.status() != null) {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.status(stored.status()).send(stored.response());
            return true;
        }
        if (clock.getAsLong() - stored.createdAtMs() < IN_PROGRESS_MS) {
            throw new ApiException(
                    409,
                    "idempotency_key_in_progress",
                    "a request with Idempotency-Key '" + Body.abbreviate(key)
                            + "' is still being answered; retry shortly",
                    Map.of("Retry-After", "1"));
        }
        // Committed, but the server stopped before recording the answer: the write is applied; say which memory.
        Json.ok(res, Map.of("memory_id", stored.memoryId(), "tenant_id", tenant, "durable", true, "replayed", true));
        return true;
    }

    private long windowStart() {
        return clock.getAsLong() - window.toMillis();
    }
}
