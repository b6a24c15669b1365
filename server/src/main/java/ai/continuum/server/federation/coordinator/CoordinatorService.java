package ai.continuum.server.federation.coordinator;

import ai.continuum.server.federation.ContributionGate;
import ai.continuum.server.federation.HourlyLimits;
import ai.continuum.server.federation.RequestSignature;
import ai.continuum.server.http.ApiException;
import ai.continuum.server.http.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The coordinator's routes. Member routes ({@code /federation/contribute}, {@code /knowledge}, {@code /status},
 * {@code /leave}) are signed by a node ({@link NodeAuthenticator}); {@code /federation/join} is authorised by a
 * single-use enrolment token; operator routes ({@code /federation/admin/...}) by the operator's bearer token. Bodies
 * hold pseudonyms, sealed payloads and counts only; nothing here can read a pattern. Thread-safe.
 */
final class CoordinatorService implements HttpService {
    static final int MAX_PATTERNS_PER_REQUEST = 1000;
    private static final Pattern PATTERN_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern ORG_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_SEALED_BYTES = 4096;
    private static final int MAX_ADMIN_BODY = 64 * 1024;
    private static final Duration ENROLMENT_TTL = Duration.ofHours(24);

    private final CoordinatorStore store;
    private final NodeAuthenticator auth;
    private final HourlyLimits limits;
    private final CoordinatorMetrics metrics;
    private final int threshold;
    private final byte[] operatorToken;
    private final LongSupplier clockMillis;

    CoordinatorService(
            final CoordinatorStore store,
            final NodeAuthenticator auth,
            final HourlyLimits limits,
            final CoordinatorMetrics metrics,
            final int threshold,
            final String operatorToken,
            final LongSupplier clockMillis) {
        this.store = store;
        this.auth = auth;
        this.limits = limits;
        this.metrics = metrics;
        this.threshold = threshold;
        this.operatorToken = operatorToken.getBytes(StandardCharsets.UTF_8);
        this.clockMillis = clockMillis;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/join", this::join)
                .post("/contribute", this::contribute)
                .post("/knowledge", this::knowledge)
                .get("/status", this::status)
                .post("/leave", this::leave)
                .post("/admin/enrolments", this::enrol)
                .get("/admin/nodes", this::nodes)
                .post("/admin/nodes/{node}/revoke", this::revoke)
                .get("/admin/stats", this::stats);
    }

    private void join(final ServerRequest req, final ServerResponse res) {
        final JsonNode body = parse(read(req, MAX_ADMIN_BODY));
        final String token = text(body, "enrolment_token");
        final String publicKey = text(body, "public_key");
        try {
            RequestSignature.decodePublic(publicKey);
        } catch (final IllegalArgumentException e) {
            throw ApiException.invalid("public_key: " + e.getMessage());
        }
        final CoordinatorStore.NodeRecord node = store.join(token, publicKey)
                .orElseThrow(() -> new ApiException(
                        401, "invalid_enrolment", "the enrolment token is unknown, already used or expired"));
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "joined");
        out.put("node_id", node.nodeId());
        out.put("org_id", node.orgId());
        out.put("release_threshold", threshold);
        out.put("registered_at", Instant.ofEpochMilli(node.joinedAt()).toString());
        Json.send(res, 201, out);
    }

    private void contribute(final ServerRequest req, final ServerResponse res) {
        final NodeAuthenticator.Signed signed = auth.authenticate(req);
        limit(signed.node(), HourlyLimits.Kind.CONTRIBUTE);
        final JsonNode body = parse(signed.body());
        final String keyId = keyId(body);
        final List<CoordinatorStore.Contribution> patterns = new ArrayList<>();
        for (final JsonNode p : array(body, "patterns")) {
            final byte[] sealed;
            try {
                sealed = Base64.getDecoder().decode(p.path("sealed").asText(""));
            } catch (final IllegalArgumentException e) {
                throw ApiException.invalid("patterns[].sealed must be base64");
            }
            if (sealed.length == 0 || sealed.length > MAX_SEALED_BYTES) {
                throw ApiException.invalid("patterns[].sealed must hold 1-" + MAX_SEALED_BYTES + " bytes");
            }
            final JsonNode weight = p.path("weight");
            if (!weight.isNumber() || !Double.isFinite(weight.asDouble())) {
                throw ApiException.invalid("patterns[].weight must be a finite number");
            }
            patterns.add(new CoordinatorStore.Contribution(patternId(p.path("pattern_id")), sealed, weight.asDouble()));
        }
        final List<String> retractions = new ArrayList<>();
        for (final JsonNode r : array(body, "retractions")) {
            retractions.add(patternId(r));
        }
        if (patterns.size() + retractions.size() > MAX_PATTERNS_PER_REQUEST) {
            throw ApiException.invalid("at most " + MAX_PATTERNS_PER_REQUEST + " patterns and retractions per request");
        }
        final CoordinatorStore.ContributeResult result = store.contribute(signed.node(), keyId, patterns, retractions);
        metrics.contributions(result.newPatterns() + result.updatedPatterns());
        metrics.retractions(result.retracted());
        final ContributionGate.Decision gate =
                ContributionGate.decide(result.contributedTotal(), signed.node().consumed());
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "accepted");
        out.put("new_patterns", result.newPatterns());
        out.put("updated_patterns", result.updatedPatterns());
        out.put("retracted", result.retracted());
        out.put("total_submitted", patterns.size());
        out.put("contribution_value", (double) result.newPatterns());
        out.put("contribution_score", gate.contributed());
        out.put("consumption_score", gate.consumed());
        out.put("contribution_ratio", gate.ratio());
        out.put("access_level", gate.tier());
        Json.ok(res, out);
    }

    private void knowledge(final ServerRequest req, final ServerResponse res) {
        final NodeAuthenticator.Signed signed = auth.authenticate(req);
        final JsonNode body = parse(signed.body());
        final String keyId = keyId(body);
        final String after = body.path("after").asText("");
        if (!after.isEmpty() && !PATTERN_ID.matcher(after).matches()) {
            throw ApiException.invalid("after must be a pattern id (64 hex digits) or absent");
        }
        final int limit = body.path("limit").asInt(100);
        if (limit < 1 || limit > MAX_PATTERNS_PER_REQUEST) {
            throw ApiException.invalid("limit must be in [1, " + MAX_PATTERNS_PER_REQUEST + "]");
        }
        if (after.isEmpty()) {
            limit(signed.node(), HourlyLimits.Kind.SYNC);
        }
        limit(signed.node(), HourlyLimits.Kind.REQUEST);
        final ContributionGate.Decision gate = ContributionGate.decide(
                signed.node().contributed(), signed.node().consumed());
        if (!gate.allowed()) {
            metrics.denial("insufficient_contribution");
            final Map<String, Object> denied = new LinkedHashMap<>();
            denied.put("error", "insufficient_contribution");
            denied.put("message", ContributionGate.DENIED_MESSAGE);
            denied.put("contribution_ratio", gate.ratio());
            denied.put("minimum_required", ContributionGate.MINIMUM_RATIO);
            denied.put("deficit", gate.deficit());
            denied.put(
                    "hint",
                    "contribute at least " + (long) Math.ceil(gate.deficit())
                            + " new pattern(s) to pull again (each new pattern earns 1.0, each pull costs 1.0)");
            Json.send(res, 403, denied);
            return;
        }
        final List<CoordinatorStore.Released> released = store.released(keyId, threshold, after, limit);
        store.consume(signed.node().nodeId(), 1.0);
        metrics.pull();
        final List<Map<String, Object>> patterns = new ArrayList<>(released.size());
        for (final CoordinatorStore.Released r : released) {
            final Map<String, Object> p = new LinkedHashMap<>();
            p.put("pattern_id", r.patternId());
            p.put("organisations", r.organisations());
            p.put("weight", r.weight());
            p.put(
                    "sealed",
                    r.sealed().stream()
                            .map(b -> Base64.getEncoder().encodeToString(b))
                            .toList());
            patterns.add(p);
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("patterns", patterns);
        out.put("count", patterns.size());
        out.put("next_after", released.size() == limit ? released.getLast().patternId() : null);
        out.put("release_threshold", threshold);
        out.put("consumption_recorded", true);
        Json.ok(res, out);
    }

    private void status(final ServerRequest req, final ServerResponse res) {
        final NodeAuthenticator.Signed signed = auth.authenticate(req);
        limit(signed.node(), HourlyLimits.Kind.HEARTBEAT);
        final CoordinatorStore.NodeRecord node = signed.node();
        final ContributionGate.Decision gate = ContributionGate.decide(node.contributed(), node.consumed());
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("node_id", node.nodeId());
        out.put("org_id", node.orgId());
        out.put("registered", true);
        out.put("status", node.status());
        out.put("contribution_score", gate.contributed());
        out.put("consumption_score", gate.consumed());
        out.put("contribution_ratio", gate.ratio());
        out.put("access_level", gate.tier());
        out.put("tier", gate.tier());
        out.put("allowed", gate.allowed());
        out.put("deficit", gate.deficit());
        out.put("free_pulls_left", Math.max(0, ContributionGate.FREE_PULLS - (long) node.consumed()));
        out.put("release_threshold", threshold);
        Json.ok(res, out);
    }

    private void leave(final ServerRequest req, final ServerResponse res) {
        final NodeAuthenticator.Signed signed = auth.authenticate(req);
        store.leave(signed.node().nodeId());
        Json.ok(res, Map.of("status", "left", "node_id", signed.node().nodeId()));
    }

    private void enrol(final ServerRequest req, final ServerResponse res) {
        operator(req);
        final JsonNode body = parse(read(req, MAX_ADMIN_BODY));
        final String org = text(body, "org_id");
        if (!ORG_ID.matcher(org).matches()) {
            throw ApiException.invalid("org_id must be 1-64 of letters, digits, '.', '_' or '-'");
        }
        final String token = store.mintEnrolment(org, ENROLMENT_TTL.toMillis());
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("enrolment_token", token);
        out.put("org_id", org);
        out.put(
                "expires_at",
                Instant.ofEpochMilli(clockMillis.getAsLong() + ENROLMENT_TTL.toMillis())
                        .toString());
        Json.send(res, 201, out);
    }

    private void nodes(final ServerRequest req, final ServerResponse res) {
        operator(req);
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final CoordinatorStore.NodeRecord node : store.nodes()) {
            final ContributionGate.Decision gate = ContributionGate.decide(node.contributed(), node.consumed());
            final Map<String, Object> n = new LinkedHashMap<>();
            n.put("node_id", node.nodeId());
            n.put("org_id", node.orgId());
            n.put("status", node.status());
            n.put("joined_at", Instant.ofEpochMilli(node.joinedAt()).toString());
            n.put(
                    "last_seen_at",
                    node.lastSeenAt() == 0
                            ? null
                            : Instant.ofEpochMilli(node.lastSeenAt()).toString());
            n.put("contribution_score", gate.contributed());
            n.put("consumption_score", gate.consumed());
            n.put("tier", gate.tier());
            out.add(n);
        }
        Json.ok(res, Map.of("nodes", out));
    }

    private void revoke(final ServerRequest req, final ServerResponse res) {
        operator(req);
        final String node = req.path().pathParameters().get("node");
        if (!store.revoke(node)) {
            throw ApiException.notFound("no node " + node);
        }
        Json.ok(res, Map.of("status", "revoked", "node_id", node));
    }

    private void stats(final ServerRequest req, final ServerResponse res) {
        operator(req);
        final CoordinatorStore.Totals totals = store.totals(threshold);
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("active_nodes", totals.activeNodes());
        out.put("organisations", totals.organisations());
        out.put("patterns", totals.livePatterns());
        out.put("released_patterns", totals.releasedPatterns());
        out.put("release_threshold", threshold);
        Json.ok(res, out);
    }

    /** The operator's bearer token, compared in constant time. */
    private void operator(final ServerRequest req) {
        final String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        final byte[] given = header.startsWith("Bearer ")
                ? header.substring(7).strip().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(given, operatorToken)) {
            throw new ApiException(401, "unauthorized", "operator routes need the operator's bearer token");
        }
    }

    private void limit(final CoordinatorStore.NodeRecord node, final HourlyLimits.Kind kind) {
        final long retryAfter = limits.acquire(node.nodeId(), kind);
        if (retryAfter > 0) {
            metrics.denial("rate_limited");
            throw new ApiException(
                    429,
                    "rate_limited",
                    "this node's hourly " + kind.name().toLowerCase(java.util.Locale.ROOT) + " limit is reached",
                    Map.of("Retry-After", Long.toString(retryAfter)));
        }
    }

    private static String keyId(final JsonNode body) {
        final String keyId = body.path("key_id").asText("");
        if (!KEY_ID.matcher(keyId).matches()) {
            throw ApiException.invalid("key_id must be the group key's id (16 hex digits)");
        }
        return keyId;
    }

    private static String patternId(final JsonNode node) {
        final String id = node.asText("");
        if (!node.isTextual() || !PATTERN_ID.matcher(id).matches()) {
            throw ApiException.invalid("a pattern id is 64 lower-case hex digits");
        }
        return id;
    }

    private static Iterable<JsonNode> array(final JsonNode body, final String field) {
        final JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.invalid(field + " must be an array");
        }
        return node;
    }

    private static String text(final JsonNode body, final String field) {
        final JsonNode node = body.path(field);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw ApiException.invalid(field + " is required (a string)");
        }
        return node.asText();
    }

    private static JsonNode parse(final byte[] bytes) {
        if (bytes.length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            final JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (final IOException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        }
    }

    private static byte[] read(final ServerRequest req, final int max) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            final byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new ApiException(413, "payload_too_large", "the body is over " + max + " bytes");
            }
            return bytes;
        } catch (final IOException e) {
            throw ApiException.badRequest("cannot read the body");
        }
    }
}
