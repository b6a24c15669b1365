package ai.continuum.server.http;

import ai.continuum.engine.Delta;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.LearnReceipt;
import ai.continuum.server.storage.Storage;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/memories}: store a memory without extraction, list and search them (from storage, newest first), fetch
 * and delete one. Every operation is confined to the caller's tenant; another tenant's id is simply not found.
 */
public final class MemoriesResource implements HttpService {
    static final int MAX_LIMIT = 1000;

    private final ContinuumCore core;
    private final long maxBodyBytes;
    private final Idempotency idempotency;

    public MemoriesResource(final ContinuumCore core, final long maxBodyBytes, final Idempotency idempotency) {
        this.core = core;
        this.maxBodyBytes = maxBodyBytes;
        this.idempotency = idempotency;
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .post("/search", this::search)
                .get("/{id}", this::get)
                .delete("/{id}", this::delete);
    }

    private void create(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final String key = Idempotency.key(req);
        final Body body = Body.read(req, maxBodyBytes);
        final String content = body.requiredText("content");
        String session = body.optionalText("session_id");
        if (session == null) {
            session = body.optionalText("entity");
        }
        if (session != null && session.length() > LearnResource.MAX_SESSION_ID) {
            throw ApiException.invalid(
                    "field 'session_id' is longer than " + LearnResource.MAX_SESSION_ID + " characters");
        }
        final String metadata = body.optionalObjectJson("metadata");
        final long id = core.nextMemoryId();
        final Delta.MemoryDelta memory =
                new Delta.MemoryDelta(id, session, content, "", "", metadata, System.currentTimeMillis(), List.of());
        if (key != null) {
            idempotency.serve(
                    res,
                    tenant,
                    key,
                    Idempotency.requestHash("POST /v1/memories", content, session, metadata),
                    id,
                    201,
                    claim -> created(res, tenant, core.store(tenant, memory, claim)));
            return;
        }
        Json.send(res, 201, created(res, tenant, core.store(tenant, memory)));
    }

    private static Map<String, Object> created(
            final ServerResponse res, final String tenant, final LearnReceipt receipt) {
        ReadPosition.answer(res, receipt);
        return Map.of(
                "id",
                receipt.memoryId(),
                "memory_id",
                receipt.memoryId(),
                "status",
                "stored",
                "tenant_id",
                tenant,
                "durable",
                receipt.durable(),
                "position",
                receipt.position());
    }

    private void list(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final int limit = Params.queryInt(req, "limit", 50, 1, MAX_LIMIT);
        final int offset = Params.queryInt(req, "offset", 0, 0, Integer.MAX_VALUE);
        ReadPosition.await(req, null, core, tenant);
        page(res, tenant, new Storage.MemoryQuery(null, null, null, null, offset, limit));
    }

    private void search(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final Body body = Body.read(req, maxBodyBytes);
        final String keyword = body.optionalText("keyword");
        final String session = body.optionalText("session_id");
        final Long from = instant(body, "start_date", false);
        final Long to = instant(body, "end_date", true);
        if (from != null && to != null && from >= to) {
            throw ApiException.invalid("'start_date' must be before 'end_date'");
        }
        final int limit = body.optionalInt("limit", 50, 1, MAX_LIMIT);
        final int offset = body.optionalInt("offset", 0, 0, Integer.MAX_VALUE);
        ReadPosition.await(req, body, core, tenant);
        page(
                res,
                tenant,
                new Storage.MemoryQuery(
                        keyword == null || keyword.isBlank() ? null : keyword, session, from, to, offset, limit));
    }

    private void page(final ServerResponse res, final String tenant, final Storage.MemoryQuery query) {
        final Storage.Page<Storage.StoredMemory> page;
        try {
            page = core.memories(tenant, query);
        } catch (final IllegalArgumentException e) {
            // A filter storage refuses (too many keyword words): the request's fault.
            throw ApiException.invalid(e.getMessage());
        }
        Json.ok(
                res,
                new PageView(
                        page.items().stream()
                                .map(m -> Views.MemoryView.of(m, Views.displayNames(core, tenant)))
                                .toList(),
                        page.total(),
                        query.limit(),
                        query.offset(),
                        tenant));
    }

    private void get(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final long id = Params.pathLong(req, "id");
        ReadPosition.await(req, null, core, tenant);
        final var fromEngine = core.memory(tenant, id);
        if (fromEngine.isPresent()) {
            Json.ok(res, Views.MemoryView.of(fromEngine.get()));
            return;
        }
        Json.ok(
                res,
                core.storedMemory(tenant, id)
                        .map(m -> Views.MemoryView.of(m, Views.displayNames(core, tenant)))
                        .orElseThrow(() -> ApiException.notFound("memory " + id + " not found")));
    }

    private void delete(final ServerRequest req, final ServerResponse res) {
        final String tenant = AuthFilter.principal(req).tenant();
        final long id = Params.pathLong(req, "id");
        if (!core.forgetMemory(tenant, id)) {
            throw ApiException.notFound("memory " + id + " not found");
        }
        Json.ok(res, Map.of("deleted", true, "id", id, "tenant_id", tenant));
    }

    record PageView(List<Views.MemoryView> memories, long total, int limit, int offset, String tenantId) {}

    /**
     * An ISO-8601 instant ("2026-11-27T10:00:00Z", an offset, or a plain date). A plain end date includes its whole
     * day (UTC).
     */
    private static Long instant(final Body body, final String field, final boolean end) {
        final String text = body.optionalText(field);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (final DateTimeParseException e) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (final DateTimeParseException e2) {
                try {
                    final LocalDate date = LocalDate.parse(text);
                    return (end ? date.plusDays(1) : date)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                            .toEpochMilli();
                } catch (final DateTimeParseException e3) {
                    throw ApiException.badRequest("field '" + field + "' must be an ISO-8601 date or instant such as "
                            + "2026-11-27 or 2026-11-27T10:00:00Z, got '" + Body.abbreviate(text) + "'");
                }
            }
        }
    }
}
