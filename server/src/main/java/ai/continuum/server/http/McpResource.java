package ai.continuum.server.http;

import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.mcp.CoreOperations;
import ai.continuum.server.mcp.McpProtocol;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /mcp}: the Model Context Protocol's Streamable HTTP transport (specification revision 2025-06-18 and later),
 * stateless. A client POSTs one JSON-RPC message (or a batch); requests are answered with {@code application/json},
 * notifications and responses with 202 and no body. No session id is issued and the server opens no stream of its
 * own (it sends no requests or notifications), so {@code GET} and {@code DELETE} answer 405, as the transport allows.
 * Authentication is the API's ({@link AuthFilter}: {@code X-API-Key} or {@code Authorization: Bearer}) and the tenant
 * is the key's; rate limit, loading gate and metrics apply as to every route. An {@code Origin} header (a browser)
 * must be one of the configured CORS origins, or any when they are {@code *} (the transport's defence against DNS
 * rebinding).
 */
public final class McpResource implements HttpService {
    private final ContinuumCore core;
    private final McpProtocol protocol;
    private final String instanceId;
    private final long maxBodyBytes;
    private final List<String> allowedOrigins;

    public McpResource(
            final ContinuumCore core,
            final McpProtocol protocol,
            final String instanceId,
            final long maxBodyBytes,
            final List<String> allowedOrigins) {
        this.core = core;
        this.protocol = protocol;
        this.instanceId = instanceId;
        this.maxBodyBytes = maxBodyBytes;
        this.allowedOrigins = List.copyOf(allowedOrigins);
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.post("/", this::post).get("/", McpResource::noStream).delete("/", McpResource::noStream);
    }

    private static void noStream(final ServerRequest req, final ServerResponse res) {
        throw new ApiException(
                405,
                "method_not_allowed",
                "this MCP endpoint is stateless and opens no stream: " + "POST JSON-RPC messages to it",
                Map.of("Allow", "POST"));
    }

    private void post(final ServerRequest req, final ServerResponse res) {
        final var origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isPresent() && !allowedOrigins.contains("*") && !allowedOrigins.contains(origin.get())) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "origin '" + Body.abbreviate(origin.get()) + "' may not call "
                            + "/mcp; add it to the CORS origins to allow it");
        }
        final var contentType = req.headers().first(HeaderNames.CONTENT_TYPE);
        if (contentType.isEmpty() || !contentType.get().toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(
                    415, "unsupported_media_type", "POST /mcp takes one JSON-RPC message as " + "application/json");
        }
        final var accept = req.headers().first(HeaderNames.ACCEPT);
        if (accept.isPresent()
                && !accept.get().contains("application/json")
                && !accept.get().contains("*/*")) {
            throw new ApiException(406, "not_acceptable", "/mcp answers application/json: accept it");
        }
        final var version = req.headers().first(HeaderNames.create("MCP-Protocol-Version"));
        if (version.isPresent() && !McpProtocol.VERSIONS.contains(version.get())) {
            Json.send(
                    res,
                    400,
                    McpProtocol.invalidRequest("unsupported MCP-Protocol-Version '" + Body.abbreviate(version.get())
                            + "'; supported: " + String.join(", ", McpProtocol.VERSIONS)));
            return;
        }
        final byte[] body = Body.readLimited(req, maxBodyBytes);
        final JsonNode message;
        try {
            message = Json.MAPPER.readTree(body);
        } catch (final JsonProcessingException e) {
            Json.send(res, 400, McpProtocol.parseError(e.getOriginalMessage()));
            return;
        } catch (final IOException e) {
            // The body is already in memory, so this is no I/O failure but bytes that do not decode: Jackson detects
            // UTF-16/32 from leading zero bytes and then meets an invalid character (CharConversionException).
            Json.send(res, 400, McpProtocol.parseError(e.getMessage()));
            return;
        }
        if (message == null || message.isMissingNode()) {
            Json.send(res, 400, McpProtocol.parseError("the body is empty"));
            return;
        }
        final String tenant = AuthFilter.principal(req).tenant();
        protocol.handle(message, new CoreOperations(core, tenant, instanceId))
                .ifPresentOrElse(answer -> Json.ok(res, answer), () -> {
                    res.status(202);
                    res.send();
                });
    }
}
