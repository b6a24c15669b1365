package ai.continuum.server.http;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.RecallResult;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.federation.node.FederationNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * {@code POST /v1/recall}: concepts, relationships and memories related to a message, and (on a federation node, with
 * {@code include_federated}) the federated patterns touching them, as a separate section ({@link FederatedRecall}).
 */
public final class RecallResource implements HttpService {
    private final ContinuumCore core;
    private final long maxBodyBytes;
    /** Null when this service is not a federation node. */
    private final FederationNode federation;
    /** Reusable answer buffers; one is taken per request and returned after it (a full pool drops the extra). */
    private final ManyToManyConcurrentArrayQueue<RecallJson> writers = new ManyToManyConcurrentArrayQueue<>(64);

    public RecallResource(final ContinuumCore core, final long maxBodyBytes, final FederationNode federation) {
        this.core = core;
        this.maxBodyBytes = maxBodyBytes;
        this.federation = federation;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/recall", this::recall);
    }

    private void recall(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final Body body = Body.read(req, maxBodyBytes);
        final String message = body.requiredText("message");
        final int maxConcepts =
                body.optionalInt("max_concepts", core.engineConfig().maxConcepts(), 1, EngineConfig.MAX_CONCEPTS_LIMIT);
        final int maxMemories =
                body.optionalInt("max_memories", core.engineConfig().maxMemories(), 0, EngineConfig.MAX_MEMORIES_LIMIT);
        final boolean includeFederated = body.optionalBool(
                "include_federated", federation != null && federation.settings().includeInRecall());
        // the semantic index, when the service has one (recall.semantic.enabled); false leaves it out of this recall
        final boolean semantic = body.optionalBool("semantic", true);
        ReadPosition.await(req, body, core, tenant);
        if (includeFederated && federation != null) {
            final RecallResult result = core.recall(tenant, message, maxConcepts, maxMemories, semantic);
            final RecallView local = view(tenant, result);
            Json.ok(res, FederatedRecall.merge(local, federation, tenant, message, maxConcepts));
            return;
        }
        RecallJson json = writers.poll();
        if (json == null) {
            json = new RecallJson();
        }
        try {
            core.recall(tenant, message, maxConcepts, maxMemories, semantic, json.answer());
            send(res, json.write(tenant, json.answer()));
        } finally {
            json.trim();
            writers.offer(json);
        }
    }

    /**
     * Sends the answer the engine wrote into a pooled writer's buffers ({@link RecallJson}, the same bytes as
     * {@link Json#ok} of {@link #view}): no result values, no view records, no Jackson serialisation and no response
     * stream (whose growing buffers were a quarter of what an HTTP recall allocated) on the hot path. Requests run on
     * virtual threads, so the writers are pooled rather than kept per thread.
     */
    private static void send(final ServerResponse res, final RecallJson json) {
        res.status(200);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        // written with the headers in one buffer and one socket write, copied once; the buffer is ours again when
        // send returns
        res.send(json.bytes(), 0, json.length());
    }

    public record ConceptView(
            String name, String type, String description, double relevance, String source, int depth) {}

    public record RelationshipView(String from, String to, String type, double strength) {}

    public record MemoryHitView(
            long id, String sessionId, String userMessage, String aiResponse, String time, double score, WhyView why) {}

    /** Why recall chose a memory (RecallResult.Why): the kinds of evidence by name, then each one's size. */
    public record WhyView(
            List<String> reasons,
            double lexical,
            double graph,
            double sessionNeighbour,
            double linkedTurn,
            double semantic,
            boolean namedTime,
            boolean newerStatement) {
        static WhyView of(final RecallResult.Why why) {
            return new WhyView(
                    why.reasons(),
                    round(why.lexical()),
                    round(why.graph()),
                    round(why.sessionNeighbour()),
                    round(why.linkedTurn()),
                    round(why.semantic()),
                    why.inNamedTime(),
                    why.newerStatement());
        }

        static double round(final double value) {
            return Math.round(value * 1_000.0) / 1_000.0;
        }
    }

    public record RecallView(
            String context,
            int conceptsFound,
            int relationshipsFound,
            double queryTimeMs,
            String tenantId,
            List<ConceptView> concepts,
            List<RelationshipView> relationships,
            List<MemoryHitView> memories,
            List<FederatedRecall.FederatedView> federated) {}

    /** The API's recall response shape (also printed by {@code continuum recall --json}). */
    public static RecallView view(final String tenant, final RecallResult r) {
        return new RecallView(
                r.context(),
                r.concepts().size(),
                r.relationships().size(),
                Math.round(r.queryNanos() / 1_000.0) / 1_000.0,
                tenant,
                r.concepts().stream()
                        .map(c -> new ConceptView(
                                c.name(),
                                c.type(),
                                c.description(),
                                c.relevance(),
                                c.source().wireName(),
                                c.depth()))
                        .toList(),
                r.relationships().stream()
                        .map(l -> new RelationshipView(l.from(), l.to(), l.type(), l.strength()))
                        .toList(),
                r.memories().stream()
                        .map(m -> new MemoryHitView(
                                m.memory().id(),
                                m.memory().sessionId(),
                                m.memory().userText(),
                                m.memory().aiText(),
                                Views.iso(m.memory().timeMillis()),
                                m.score(),
                                WhyView.of(m.why())))
                        .toList(),
                List.of());
    }
}
