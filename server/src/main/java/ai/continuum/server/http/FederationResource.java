package ai.continuum.server.http;

import ai.continuum.server.federation.node.CoordinatorClient;
import ai.continuum.server.federation.node.FederatedStore;
import ai.continuum.server.federation.node.FederationNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /v1/federation/...} (admin key): join with an enrolment token, sync now, status, leave; what
 * {@code continuum federation join|sync|status|leave} call. 409 {@code federation_disabled} when this service has no
 * {@code federation.url}; 409 {@code not_joined} before joining; 503 {@code coordinator_unreachable} when the
 * coordinator does not answer; 502 {@code coordinator_rejected} with the coordinator's answer when it refuses.
 */
public final class FederationResource implements HttpService {
    private final FederationNode federation;
    private final long maxBodyBytes;

    /** @param federation null when this service is not configured as a federation node. */
    public FederationResource(final FederationNode federation, final long maxBodyBytes) {
        this.federation = federation;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/join", this::join)
                .post("/sync", this::sync)
                .get("/status", this::status)
                .post("/leave", this::leave);
    }

    private void join(final ServerRequest req, final ServerResponse res) {
        final String token = Body.read(req, maxBodyBytes).requiredText("enrolment_token");
        final FederatedStore.Identity id = call(() -> node().join(token));
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "joined");
        out.put("node_id", id.nodeId());
        out.put("org_id", id.orgId());
        Json.send(res, 201, out);
    }

    private void sync(final ServerRequest req, final ServerResponse res) {
        final FederationNode.SyncReport report = call(() -> node().sync());
        Json.ok(res, report);
    }

    private void status(final ServerRequest req, final ServerResponse res) {
        Json.ok(res, node().status());
    }

    private void leave(final ServerRequest req, final ServerResponse res) {
        Json.ok(res, call(() -> node().leave()));
    }

    private FederationNode node() {
        if (federation == null) {
            throw new ApiException(
                    409,
                    "federation_disabled",
                    "this service is not a federation node: set federation.url (CONTINUUM_FEDERATION_URL) and "
                            + "federation.group-key-file");
        }
        return federation;
    }

    private static <T> T call(final Supplier<T> action) {
        try {
            return action.get();
        } catch (final FederationNode.SyncBusyException e) {
            throw new ApiException(409, "sync_in_progress", e.getMessage(), Map.of("Retry-After", "30"));
        } catch (final IllegalStateException e) {
            throw new ApiException(409, "not_joined".equals(code(e)) ? "not_joined" : "conflict", e.getMessage());
        } catch (final CoordinatorClient.UnreachableException e) {
            throw new ApiException(503, "coordinator_unreachable", e.getMessage(), Map.of("Retry-After", "30"));
        } catch (final FederationNode.RejectedException e) {
            throw new ApiException(502, "coordinator_rejected", e.getMessage());
        }
    }

    private static String code(final IllegalStateException e) {
        return e.getMessage() != null && e.getMessage().contains("has not joined") ? "not_joined" : "conflict";
    }
}
