package ai.continuum.server.mcp;

import ai.continuum.engine.ConceptView;
import ai.continuum.engine.Turn;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.http.ApiException;
import ai.continuum.server.http.Json;
import ai.continuum.server.http.LearnResource;
import ai.continuum.server.http.RecallResource;
import ai.continuum.server.http.StatsResource;
import ai.continuum.server.http.Views;
import ai.continuum.server.storage.Storage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tenant's memory in this process, over the core the HTTP resources use (the server's {@code /mcp}, and
 * {@code continuum mcp --stdio} on a local data directory). Answers carry the HTTP API's shapes: the records the
 * resources write where they are shared ({@link RecallResource#view}, {@link LearnResource#view},
 * {@link Views.MemoryView}), the same field names otherwise. Thread-safe like the core.
 */
public final class CoreOperations implements MemoryOperations {
    private final ContinuumCore core;
    private final String tenant;
    private final String instanceId;

    public CoreOperations(final ContinuumCore core, final String tenant, final String instanceId) {
        this.core = core;
        this.tenant = tenant;
        this.instanceId = instanceId;
    }

    @Override
    public JsonNode recall(final String message, final int maxConcepts, final int maxMemories) {
        return Json.MAPPER.valueToTree(
                RecallResource.view(tenant, core.recall(tenant, message, maxConcepts, maxMemories)));
    }

    @Override
    public JsonNode learn(final String userMessage, final String aiResponse, final String sessionId) {
        final Turn turn =
                new Turn(core.nextMemoryId(), userMessage, aiResponse, null, sessionId, "", System.currentTimeMillis());
        return Json.MAPPER.valueToTree(LearnResource.view(tenant, core.learn(tenant, turn, false)));
    }

    @Override
    public JsonNode searchMemories(final String keyword, final String sessionId, final int limit, final int offset) {
        final Storage.Page<Storage.StoredMemory> page;
        try {
            page = core.memories(tenant, new Storage.MemoryQuery(keyword, sessionId, null, null, offset, limit));
        } catch (final IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "memories",
                page.items().stream()
                        .map(m -> Views.MemoryView.of(m, Views.displayNames(core, tenant)))
                        .toList());
        body.put("total", page.total());
        body.put("limit", limit);
        body.put("offset", offset);
        body.put("tenant_id", tenant);
        return Json.MAPPER.valueToTree(body);
    }

    @Override
    public JsonNode getMemory(final long id) {
        final var fromEngine = core.memory(tenant, id);
        if (fromEngine.isPresent()) {
            return Json.MAPPER.valueToTree(Views.MemoryView.of(fromEngine.get()));
        }
        return Json.MAPPER.valueToTree(core.storedMemory(tenant, id)
                .map(m -> Views.MemoryView.of(m, Views.displayNames(core, tenant)))
                .orElseThrow(() -> ApiException.notFound("memory " + id + " not found")));
    }

    @Override
    public JsonNode forgetMemory(final long id) {
        if (!core.forgetMemory(tenant, id)) {
            throw ApiException.notFound("memory " + id + " not found");
        }
        return Json.MAPPER.valueToTree(Map.of("deleted", true, "id", id, "tenant_id", tenant));
    }

    @Override
    public JsonNode listConcepts(final String type, final int limit, final int offset) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "concepts",
                core.concepts(tenant, type, offset, limit).stream()
                        .map(c -> {
                            final Map<String, Object> item = new LinkedHashMap<>();
                            item.put("name", c.name());
                            item.put("type", c.type());
                            item.put("description", c.description());
                            item.put("created_at", Views.iso(c.createdMillis()));
                            return item;
                        })
                        .toList());
        body.put("total", core.conceptCount(tenant, type));
        body.put("limit", limit);
        body.put("offset", offset);
        body.put("tenant_id", tenant);
        return Json.MAPPER.valueToTree(body);
    }

    @Override
    public JsonNode concept(final String name, final int limit) {
        final ConceptView c = core.concept(tenant, name, limit)
                .orElseThrow(() -> ApiException.notFound("concept '" + name + "' not found"));
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", c.name());
        body.put("type", c.type());
        body.put("description", c.description());
        body.put("created_at", Views.iso(c.createdMillis()));
        body.put(
                "neighbours",
                c.neighbours().stream()
                        .map(n -> {
                            final Map<String, Object> item = new LinkedHashMap<>();
                            item.put("name", n.name());
                            item.put("strength", n.strength());
                            item.put("count", n.count());
                            item.put("last_seen", Views.iso(n.lastSeenMillis()));
                            return item;
                        })
                        .toList());
        body.put("tenant_id", tenant);
        return Json.MAPPER.valueToTree(body);
    }

    @Override
    public JsonNode stats() {
        return Json.MAPPER.valueToTree(
                StatsResource.StatsView.of(tenant, instanceId, core.stats(tenant), core.queueDepth()));
    }

    @Override
    public JsonNode continuity() {
        final Storage.ContinuityHead head = core.continuity(tenant);
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_id", tenant);
        body.put("length", head.length());
        body.put("head", head.headHex());
        return Json.MAPPER.valueToTree(body);
    }
}
