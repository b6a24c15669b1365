package ai.continuum.server.http;

import ai.continuum.engine.ConceptView;
import ai.continuum.server.core.ContinuumCore;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/concepts} (also mounted as {@code /v1/entities}, the upstream name): list newest first, optionally by
 * type; get one by name (any case) with its strongest neighbours; delete one with its links.
 */
public final class ConceptsResource implements HttpService {
    /** The entity types a concept can have (kept from the original API, docs/COMPATIBILITY.md), plus compound concepts as recall reports them. */
    static final Set<String> TYPES =
            Set.of("concept", "decision", "session", "person", "project", "tool", "topic", "compound_concept");

    static final int MAX_OFFSET = 1_000_000;

    private final ContinuumCore core;
    private final String listField;

    /** @param listField name of the list in the list response ("concepts" or "entities"). */
    public ConceptsResource(final ContinuumCore core, final String listField) {
        this.core = core;
        this.listField = listField;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/", this::list).get("/{name}", this::get).delete("/{name}", this::delete);
    }

    private void list(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final int limit = Params.queryInt(req, "limit", 100, 1, 1000);
        final int offset = Params.queryInt(req, "offset", 0, 0, MAX_OFFSET);
        final String type = Params.queryText(req, "entity_type");
        if (type != null && !TYPES.contains(type)) {
            throw ApiException.badRequest("query parameter 'entity_type' must be one of "
                    + String.join(", ", TYPES.stream().sorted().toList()) + ", got '" + Body.abbreviate(type) + "'");
        }
        final List<ConceptView> concepts = core.concepts(tenant, type, offset, limit);
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                listField,
                concepts.stream()
                        .map(c -> new Item(c.name(), c.type(), c.description(), Views.iso(c.createdMillis())))
                        .toList());
        body.put("total", core.conceptCount(tenant, type));
        body.put("limit", limit);
        body.put("offset", offset);
        body.put("tenant_id", tenant);
        Json.ok(res, body);
    }

    private void get(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final String name = Params.path(req, "name");
        final int neighbours = Params.queryInt(req, "neighbours", 10, 0, 100);
        final ConceptView c = core.concept(tenant, name, neighbours)
                .orElseThrow(() -> ApiException.notFound("concept '" + Body.abbreviate(name) + "' not found"));
        Json.ok(
                res,
                new Detail(
                        c.name(),
                        c.type(),
                        c.description(),
                        Views.iso(c.createdMillis()),
                        c.neighbours().stream()
                                .map(n ->
                                        new Neighbour(n.name(), n.strength(), n.count(), Views.iso(n.lastSeenMillis())))
                                .toList(),
                        tenant));
    }

    private void delete(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final String name = Params.path(req, "name");
        if (!core.forgetConcept(tenant, name)) {
            throw ApiException.notFound("concept '" + Body.abbreviate(name) + "' not found");
        }
        Json.ok(res, Map.of("deleted", true, "name", name, "tenant_id", tenant));
    }

    record Item(String name, String type, String description, String createdAt) {}

    record Neighbour(String name, double strength, int count, String lastSeen) {}

    record Detail(
            String name,
            String type,
            String description,
            String createdAt,
            List<Neighbour> neighbours,
            String tenantId) {}
}
