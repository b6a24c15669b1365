package ai.continuum.server.http;

import ai.continuum.engine.PruneReport;
import ai.continuum.server.auth.AuditLog;
import ai.continuum.server.auth.Principal;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.PruneReceipt;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Set;

/**
 * {@code POST /v1/prune}: removes the caller's tenant's links whose strength is below a threshold and reports what it
 * examined and removed. A tenant key prunes its own tenant (the tenant comes from the key, as for forget): pruning
 * removes nothing a tenant could not already remove concept by concept, so it needs no admin key. The prune is a
 * durable write like forget: committed as one op in the tenant's chain, applied in chain order, followed by every
 * instance on the database. An {@code Idempotency-Key} makes a retry answer the original report and prune nothing.
 */
public final class PruneResource implements HttpService {
    /**
     * The threshold when the body names none: the original's prune threshold before it was set to 0.0, which can
     * delete nothing since strength is always above 0. Links fall below it only by time decay.
     */
    public static final double DEFAULT_MIN_STRENGTH = 0.05;

    static final String MIN_STRENGTH = "min_strength";
    static final String APPLY_DECAY = "apply_decay";

    private final ContinuumCore core;
    private final long maxBodyBytes;
    private final Idempotency idempotency;

    public PruneResource(final ContinuumCore core, final long maxBodyBytes, final Idempotency idempotency) {
        this.core = core;
        this.maxBodyBytes = maxBodyBytes;
        this.idempotency = idempotency;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/prune", this::prune);
    }

    /** The answer: the engine's report, with the tenant and the prune's chain position (also the CLI's JSON). */
    public record PruneView(
            long linksExamined,
            long linksPruned,
            double avgStrengthBefore,
            double avgStrengthAfter,
            double threshold,
            boolean decayApplied,
            long position,
            String tenantId) {

        public static PruneView of(final String tenant, final PruneReceipt receipt) {
            final PruneReport r = receipt.report();
            return new PruneView(
                    r.linksExamined(),
                    r.linksPruned(),
                    r.avgStrengthBefore(),
                    r.avgStrengthAfter(),
                    r.threshold(),
                    r.decayApplied(),
                    receipt.position(),
                    tenant);
        }
    }

    private void prune(final ServerRequest req, final ServerResponse res) {
        final Principal principal = AuthFilter.principal(req);
        final String tenant = principal.tenant();
        final String key = Idempotency.key(req);
        // No body at all means every default; a body must be a JSON object naming only known options.
        final Body body =
                req.content().hasEntity() ? Body.read(req, maxBodyBytes) : Body.of(Json.MAPPER.createObjectNode());
        body.onlyFields(Set.of(MIN_STRENGTH, APPLY_DECAY));
        final double threshold = body.optionalDouble(MIN_STRENGTH, DEFAULT_MIN_STRENGTH, 0.0, 1.0);
        final boolean applyDecay = body.optionalBool(APPLY_DECAY, true);
        if (key != null) {
            idempotency.serve(
                    res,
                    tenant,
                    key,
                    Idempotency.requestHash("POST /v1/prune", Double.toString(threshold), Boolean.toString(applyDecay)),
                    0,
                    200,
                    claim -> {
                        final PruneReceipt receipt = core.prune(tenant, threshold, applyDecay, claim);
                        audit(principal, receipt);
                        ReadPosition.answer(res, receipt.position());
                        return PruneView.of(tenant, receipt);
                    });
            return;
        }
        final PruneReceipt receipt = core.prune(tenant, threshold, applyDecay, null);
        audit(principal, receipt);
        ReadPosition.answer(res, receipt.position());
        Json.ok(res, PruneView.of(tenant, receipt));
    }

    private static void audit(final Principal principal, final PruneReceipt receipt) {
        final PruneReport r = receipt.report();
        AuditLog.linksPruned(principal.keyId(), principal.tenant(), r.threshold(), r.linksExamined(), r.linksPruned());
    }
}
