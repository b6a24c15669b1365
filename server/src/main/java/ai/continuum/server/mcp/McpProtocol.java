package ai.continuum.server.mcp;

import ai.continuum.server.core.MemoryPressureException;
import ai.continuum.server.http.ApiException;
import ai.continuum.server.http.Json;
import ai.continuum.server.storage.QueueFullException;
import ai.continuum.server.storage.StorageUnavailableException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of the Model Context Protocol (JSON-RPC 2.0 messages, https://modelcontextprotocol.io/specification)
 * for the methods Continuum offers: {@code initialize}, {@code ping}, {@code tools/list}, {@code tools/call},
 * {@code resources/list}, {@code resources/templates/list} and {@code resources/read}. Stateless: nothing is kept
 * between messages, so any instance can answer any request of a client, and the tenant comes with each call (the
 * {@link MemoryOperations} handed in). Errors: malformed messages get -32600, unknown methods -32601, bad parameters
 * or tool arguments -32602, an unknown resource -32002; a tool whose operation fails (not found, unavailable) answers
 * a result with {@code isError} and the API's error code and message, which an agent can read and act on; anything
 * unexpected is logged and answered -32603 without details. Thread-safe.
 */
public final class McpProtocol {
    /** Protocol revisions this server speaks, newest first; a client asking for another gets the newest. */
    public static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    public static final String STATS_URI = "continuum://stats";
    public static final String CONTINUITY_URI = "continuum://continuity";
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int RESOURCE_NOT_FOUND = -32002;
    private static final Logger LOG = Logger.getLogger(McpProtocol.class.getName());
    private static final String INSTRUCTIONS = "Continuum is this user's long-term memory. Before answering, call "
            + "recall with the user's message and use its context block; after answering, call learn with the user's "
            + "message and your answer. Use search_memories, get_memory and forget_memory to browse and delete what is "
            + "remembered, list_concepts and concept_neighbours to explore what it connects.";

    private final McpTools tools = new McpTools();
    private final String serverVersion;

    public McpProtocol(final String serverVersion) {
        this.serverVersion = serverVersion;
    }

    public McpTools tools() {
        return tools;
    }

    /**
     * Answers one message or a batch (array) of them.
     *
     * @return the response (an array for a batch), or empty when nothing needs an answer (notifications and client
     *         responses only).
     */
    public Optional<JsonNode> handle(final JsonNode message, final MemoryOperations ops) {
        if (message.isArray()) {
            if (message.isEmpty()) {
                return Optional.of(error(null, INVALID_REQUEST, "an empty batch is not a JSON-RPC request"));
            }
            final ArrayNode answers = Json.MAPPER.createArrayNode();
            message.forEach(m -> handleOne(m, ops).ifPresent(answers::add));
            return answers.isEmpty() ? Optional.empty() : Optional.of(answers);
        }
        return handleOne(message, ops).map(n -> n);
    }

    /** The answer to a body that is not JSON at all. */
    public static ObjectNode parseError(final String detail) {
        return error(null, PARSE_ERROR, "the message is not valid JSON: " + detail);
    }

    /** A transport-level refusal of a message (a header it cannot serve). */
    public static ObjectNode invalidRequest(final String detail) {
        return error(null, INVALID_REQUEST, detail);
    }

    private Optional<ObjectNode> handleOne(final JsonNode message, final MemoryOperations ops) {
        if (!message.isObject() || !"2.0".equals(message.path("jsonrpc").asText(null))) {
            return Optional.of(error(
                    idOf(message), INVALID_REQUEST, "expected a JSON-RPC 2.0 object with " + "\"jsonrpc\": \"2.0\""));
        }
        final JsonNode method = message.get("method");
        if (method == null) {
            // A response to a request of ours; this server sends none, so there is nothing to match it with.
            return Optional.empty();
        }
        final JsonNode id = message.get("id");
        if (id == null) {
            return Optional.empty(); // a notification (initialized, cancelled...): nothing to answer
        }
        if (!(id.isTextual() || id.isIntegralNumber()) || !method.isTextual()) {
            return Optional.of(error(
                    id.isTextual() || id.isIntegralNumber() ? id : null,
                    INVALID_REQUEST,
                    "\"id\" must be a string or an integer and \"method\" a string"));
        }
        final JsonNode params = message.path("params");
        try {
            return Optional.of(result(id, dispatch(method.textValue(), params, ops)));
        } catch (final RpcError e) {
            return Optional.of(error(id, e.code, e.getMessage()));
        } catch (final RuntimeException e) {
            LOG.log(Level.SEVERE, "MCP " + method.textValue() + " failed", e);
            return Optional.of(error(id, INTERNAL_ERROR, "internal error; see the server log"));
        }
    }

    private JsonNode dispatch(final String method, final JsonNode params, final MemoryOperations ops) {
        return switch (method) {
            case "initialize" -> initialize(params);
            case "ping" -> Json.MAPPER.createObjectNode();
            case "tools/list" -> {
                final ObjectNode result = Json.MAPPER.createObjectNode();
                result.set("tools", tools.list());
                yield result;
            }
            case "tools/call" -> callTool(params, ops);
            case "resources/list" -> resources();
            case "resources/templates/list" -> {
                final ObjectNode result = Json.MAPPER.createObjectNode();
                result.putArray("resourceTemplates");
                yield result;
            }
            case "resources/read" -> readResource(params, ops);
            default ->
                throw new RpcError(
                        METHOD_NOT_FOUND,
                        "method '" + method + "' is not supported; this server "
                                + "offers initialize, ping, tools/list, tools/call, resources/list, resources/templates/list and "
                                + "resources/read");
        };
    }

    private ObjectNode initialize(final JsonNode params) {
        final String asked = params.path("protocolVersion").asText("");
        final ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("protocolVersion", VERSIONS.contains(asked) ? asked : VERSIONS.getFirst());
        final ObjectNode capabilities = result.putObject("capabilities");
        capabilities.putObject("tools").put("listChanged", false);
        capabilities.putObject("resources").put("subscribe", false).put("listChanged", false);
        result.putObject("serverInfo")
                .put("name", "continuum")
                .put("title", "Continuum memory")
                .put("version", serverVersion);
        result.put("instructions", INSTRUCTIONS);
        return result;
    }

    private ObjectNode callTool(final JsonNode params, final MemoryOperations ops) {
        final JsonNode name = params.get("name");
        if (name == null || !name.isTextual()) {
            throw new RpcError(INVALID_PARAMS, "tools/call needs params.name, the tool's name");
        }
        final JsonNode answer;
        try {
            answer = tools.call(name.textValue(), params.get("arguments"), ops);
        } catch (final McpTools.InvalidArguments e) {
            throw new RpcError(INVALID_PARAMS, e.getMessage());
        } catch (final ApiException e) {
            return toolError(e.code() + ": " + e.getMessage());
        } catch (final QueueFullException | StorageUnavailableException e) {
            return toolError("unavailable: " + e.getMessage() + "; retry in a few seconds");
        } catch (final MemoryPressureException e) {
            return toolError("memory_pressure: " + e.getMessage());
        }
        final ObjectNode result = Json.MAPPER.createObjectNode();
        final ArrayNode content = result.putArray("content");
        final JsonNode context = answer.get("context");
        if ("recall".equals(name.textValue()) && context != null && context.isTextual()) {
            // The block an agent puts in its prompt comes first; the structured items follow.
            content.addObject()
                    .put("type", "text")
                    .put(
                            "text",
                            context.textValue().isEmpty()
                                    ? "Nothing is remembered about this yet."
                                    : context.textValue());
        }
        content.addObject().put("type", "text").put("text", pretty(answer));
        result.set("structuredContent", answer);
        result.put("isError", false);
        return result;
    }

    private static ObjectNode toolError(final String text) {
        final ObjectNode result = Json.MAPPER.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        result.put("isError", true);
        return result;
    }

    private static ObjectNode resources() {
        final ObjectNode result = Json.MAPPER.createObjectNode();
        final ArrayNode list = result.putArray("resources");
        list.addObject()
                .put("uri", STATS_URI)
                .put("name", "stats")
                .put("title", "Memory statistics")
                .put(
                        "description",
                        "Counts of this tenant's concepts, memories, decisions and links, and the write "
                                + "queue depth.")
                .put("mimeType", "application/json");
        list.addObject()
                .put("uri", CONTINUITY_URI)
                .put("name", "continuity")
                .put("title", "Continuity head")
                .put(
                        "description",
                        "Length and head hash of this tenant's hash chain of committed writes; it changes "
                                + "exactly when the memory changes.")
                .put("mimeType", "application/json");
        return result;
    }

    private static ObjectNode readResource(final JsonNode params, final MemoryOperations ops) {
        final String uri = params.path("uri").asText("");
        final JsonNode body = switch (uri) {
            case STATS_URI -> ops.stats();
            case CONTINUITY_URI -> ops.continuity();
            default ->
                throw new RpcError(
                        RESOURCE_NOT_FOUND,
                        "resource '" + uri + "' not found; the resources are " + STATS_URI + " and " + CONTINUITY_URI);
        };
        final ObjectNode result = Json.MAPPER.createObjectNode();
        result.putArray("contents")
                .addObject()
                .put("uri", uri)
                .put("mimeType", "application/json")
                .put("text", pretty(body));
        return result;
    }

    private static String pretty(final JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode idOf(final JsonNode message) {
        final JsonNode id = message.isObject() ? message.get("id") : null;
        return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
    }

    private static ObjectNode result(final JsonNode id, final JsonNode result) {
        final ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("jsonrpc", "2.0");
        node.set("id", id);
        node.set("result", result);
        return node;
    }

    static ObjectNode error(final JsonNode id, final int code, final String message) {
        final ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("jsonrpc", "2.0");
        if (id == null) {
            node.putNull("id");
        } else {
            node.set("id", id);
        }
        node.putObject("error").put("code", code).put("message", message);
        return node;
    }

    /** A request answered with a JSON-RPC error. */
    private static final class RpcError extends RuntimeException {
        private final int code;

        RpcError(final int code, final String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
