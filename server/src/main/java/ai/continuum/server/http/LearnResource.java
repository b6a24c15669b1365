package ai.continuum.server.http;

import ai.continuum.engine.Turn;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.LearnReceipt;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /v1/learn} (learn from one turn) and {@code POST /v1/turn} (recall for the user message, then learn the
 * turn). A learn answers 200 once durable, or 202 at once with {@code "async": true}; see
 * {@link ContinuumCore} for the write order.
 */
public final class LearnResource implements HttpService {
    /** Longest accepted session id, in characters. */
    static final int MAX_SESSION_ID = 256;

    private final ContinuumCore core;
    private final long maxBodyBytes;
    private final Idempotency idempotency;

    public LearnResource(final ContinuumCore core, final long maxBodyBytes, final Idempotency idempotency) {
        this.core = core;
        this.maxBodyBytes = maxBodyBytes;
        this.idempotency = idempotency;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/learn", this::learn).post("/turn", this::turn);
    }

    private void learn(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final String key = Idempotency.key(req);
        final Body body = Body.read(req, maxBodyBytes);
        final Turn turn = turn(body);
        final boolean async = body.optionalBool("async", false);
        if (key != null) {
            synchronousOnly(async);
            idempotency.serve(res, tenant, key, hash("POST /v1/learn", turn), turn.memoryId(), 200, claim -> {
                final LearnReceipt receipt = core.learn(tenant, turn, false, claim);
                ReadPosition.answer(res, receipt);
                return view(tenant, receipt);
            });
            return;
        }
        final LearnReceipt receipt = core.learn(tenant, turn, async);
        ReadPosition.answer(res, receipt);
        Json.send(res, async ? 202 : 200, view(tenant, receipt));
    }

    private static void synchronousOnly(final boolean async) {
        if (async) {
            throw ApiException.invalid("'async': true cannot be combined with an Idempotency-Key: an idempotent "
                    + "write answers once it is committed");
        }
    }

    private static String hash(final String route, final Turn turn) {
        return Idempotency.requestHash(
                route, turn.userText(), turn.aiText(), turn.thinking(), turn.sessionId(), turn.metadata());
    }

    private void turn(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final String key = Idempotency.key(req);
        final Body body = Body.read(req, maxBodyBytes);
        final Turn turn = turn(body);
        final int maxConcepts =
                body.optionalInt("max_concepts", core.engineConfig().maxConcepts(), 1, 100);
        final int maxMemories =
                body.optionalInt("max_memories", core.engineConfig().maxMemories(), 0, 100);
        final boolean async = body.optionalBool("async", false);
        ReadPosition.await(req, body, core, tenant);
        if (key != null) {
            synchronousOnly(async);
            idempotency.serve(
                    res,
                    tenant,
                    key,
                    hash("POST /v1/turn " + maxConcepts + " " + maxMemories, turn),
                    turn.memoryId(),
                    200,
                    claim -> {
                        final RecallResource.RecallView recall = RecallResource.view(
                                tenant, core.recall(tenant, turn.userText(), maxConcepts, maxMemories));
                        final LearnReceipt receipt = core.learn(tenant, turn, false, claim);
                        ReadPosition.answer(res, receipt);
                        return new TurnView(recall, view(tenant, receipt));
                    });
            return;
        }
        final RecallResource.RecallView recall =
                RecallResource.view(tenant, core.recall(tenant, turn.userText(), maxConcepts, maxMemories));
        final LearnReceipt receipt = core.learn(tenant, turn, async);
        ReadPosition.answer(res, receipt);
        Json.send(res, async ? 202 : 200, new TurnView(recall, view(tenant, receipt)));
    }

    private Turn turn(final Body body) {
        final String user = body.requiredText("user_message");
        final String ai = body.requiredText("ai_response");
        final String thinking = body.optionalText("thinking");
        final String metadata = body.optionalObjectJson("metadata");
        final String session = body.optionalText("session_id");
        if (session != null && session.length() > MAX_SESSION_ID) {
            throw ApiException.invalid("field 'session_id' is longer than " + MAX_SESSION_ID + " characters");
        }
        return new Turn(core.nextMemoryId(), user, ai, thinking, session, metadata, System.currentTimeMillis());
    }

    public record LearnView(
            int conceptsExtracted,
            int decisionsDetected,
            int linksCreated,
            int linksReinforced,
            int compoundsFound,
            int conceptsCreated,
            String tenantId,
            long memoryId,
            boolean durable,
            Long position) {}

    record TurnView(RecallResource.RecallView recall, LearnView learn) {}

    /** The API's learn response shape (also printed by {@code continuum learn --json}). */
    public static LearnView view(final String tenant, final LearnReceipt r) {
        final int links = r.delta().links().size();
        return new LearnView(
                r.delta().concepts().size(),
                r.delta().decisions().size(),
                r.applied().linksCreated(),
                Math.max(0, links - r.applied().linksCreated()),
                r.applied().compoundsCreated(),
                r.applied().conceptsCreated(),
                tenant,
                r.memoryId(),
                r.durable(),
                r.durable() ? r.position() : null);
    }
}
