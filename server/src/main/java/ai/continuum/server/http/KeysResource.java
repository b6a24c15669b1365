package ai.continuum.server.http;

import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.auth.ApiKeyFormat;
import ai.continuum.server.auth.Principal;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.storage.ApiKeys;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/keys} (admin key only): mint a key for a tenant (the secret is in this one response and nowhere else),
 * list keys (never their secrets or hashes), revoke one (effective on the next request).
 */
public final class KeysResource implements HttpService {
    static final int MAX_NAME = 100;

    private final ApiKeyAuthenticator keys;
    private final long maxBodyBytes;

    public KeysResource(final ApiKeyAuthenticator keys, final long maxBodyBytes) {
        this.keys = keys;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/", this::create).get("/", this::list).delete("/{keyId}", this::revoke);
    }

    private static Principal admin(final ServerRequest req) {
        final Principal p = AuthFilter.principal(req);
        if (!p.admin()) {
            throw new ApiException(403, "forbidden", "this endpoint needs the admin key");
        }
        return p;
    }

    private void create(final ServerRequest req, final ServerResponse res) {
        final Principal admin = admin(req);
        final Body body = Body.read(req, maxBodyBytes);
        final String tenant = body.requiredText("tenant_id");
        if (!ServerConfig.TENANT_PATTERN.matcher(tenant).matches()) {
            throw ApiException.invalid("field 'tenant_id' must be 1-128 letters, digits, '.', '_' or '-', starting "
                    + "with a letter or digit, got '" + Body.abbreviate(tenant) + "'");
        }
        final String name = body.optionalText("name");
        if (name != null && name.length() > MAX_NAME) {
            throw ApiException.invalid("field 'name' is longer than " + MAX_NAME + " characters");
        }
        final ApiKeyAuthenticator.CreatedKey key = keys.create(tenant, name == null ? "" : name, admin.keyId());
        Json.send(
                res,
                201,
                new CreatedView(
                        key.apiKey(),
                        key.keyId(),
                        key.tenant(),
                        key.name(),
                        key.createdAt().toString(),
                        "Store this key now: it is shown only once."));
    }

    private void list(final ServerRequest req, final ServerResponse res) {
        admin(req);
        Json.ok(res, KeyList.of(keys.list()));
    }

    private void revoke(final ServerRequest req, final ServerResponse res) {
        final Principal admin = admin(req);
        final String keyId = req.path().pathParameters().get("keyId");
        if (!ApiKeyFormat.isKeyId(keyId)) {
            throw ApiException.badRequest("path parameter 'keyId' must be 16 lower-case hex characters, got '"
                    + Body.abbreviate(keyId) + "'");
        }
        if (!keys.revoke(keyId, admin.keyId())) {
            throw ApiException.notFound("key " + keyId + " not found");
        }
        Json.ok(res, Map.of("revoked", true, "key_id", keyId));
    }

    record CreatedView(String apiKey, String keyId, String tenantId, String name, String createdAt, String message) {}

    /** The answer of {@code GET /v1/keys}; the CLI's {@code keys list --json} prints the same. */
    public record KeyList(List<KeyView> keys, int total) {
        public static KeyList of(final List<ApiKeys.StoredKey> stored) {
            final List<KeyView> views = stored.stream().map(KeysResource::view).toList();
            return new KeyList(views, views.size());
        }
    }

    public record KeyView(
            String keyId,
            String tenantId,
            String name,
            boolean admin,
            String createdAt,
            String revokedAt,
            String lastUsedAt) {}

    private static KeyView view(final ApiKeys.StoredKey k) {
        return new KeyView(
                k.keyId(),
                k.tenant(),
                k.name(),
                k.admin(),
                str(k.createdAt()),
                str(k.revokedAt()),
                str(k.lastUsedAt()));
    }

    private static String str(final Instant t) {
        return t == null ? null : t.toString();
    }
}
